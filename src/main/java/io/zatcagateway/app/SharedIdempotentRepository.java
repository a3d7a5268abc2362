package io.zatcagateway.app;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Camel's JDBC idempotent repository, made safe for several gateway instances on one database: the table's primary key
 * (processor name, key) decides who was first, and the instance that loses the race is told "already there" (false)
 * instead of getting the database's duplicate-key error. Used for the intake's document keys and for the file read
 * locks that keep two instances from taking the same inbox file.
 */
public class SharedIdempotentRepository extends JdbcMessageIdRepository {
    public SharedIdempotentRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
    }

    @Override
    public boolean add(String key) {
        try {
            return super.add(key);
        } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
            return false;
        }
    }

    @Override
    protected void doStart() throws Exception {
        try {
            super.doStart();
        } catch (Exception e) {
            // two instances starting together: one creates the table, the other's CREATE fails; the table is there now
            super.doStart();
        }
    }
}
