package io.zatcagateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;

/** The gateway's database for the commands that read the chain store (H2 with AUTO_SERVER, or PostgreSQL). */
final class Database {
    private Database() {
    }

    static HikariDataSource open(Properties p) {
        HikariDataSource ds = new HikariDataSource();
        String url = p.getProperty("gateway.database.url", "jdbc:h2:file:./data/h2/gateway;WRITE_DELAY=100;DB_CLOSE_DELAY=-1;AUTO_SERVER=TRUE").trim();
        ds.setJdbcUrl(url);
        ds.setUsername(p.getProperty("gateway.database.user", "sa").trim());
        ds.setPassword(io.zatcagateway.app.GatewayContext.resolveEnv(p.getProperty("gateway.database.password", "").trim()));
        ds.setMaximumPoolSize(2);
        ds.setPoolName("gateway-cli");
        return ds;
    }
}
