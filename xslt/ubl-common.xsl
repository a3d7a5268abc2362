<?xml version="1.0" encoding="UTF-8"?>
<!--
  The shared half of every ERP stylesheet: it turns the gateway's canonical invoice (an internal, namespace-free
  <doc> element that each ERP stylesheet builds from its own export) into a UBL 2.1 document as ZATCA profiles it,
  and computes every derived amount (line VAT, VAT breakdown per category, document totals, SAR VAT total) with
  ZATCA's rounding (half up, 2 decimals). An ERP stylesheet includes this file and calls
  <xsl:call-template name="zgw:ubl"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>.

  Canonical invoice (attributes; optional ones may be absent or empty):
    doc: id, type (388 invoice | 381 credit note | 383 debit note), simplified (true|false), issue-date (yyyy-MM-dd),
         issue-time (HH:mm:ss), supply-date, supply-end-date, currency, sar-rate (SAR per unit of currency), billing-ref,
         reason (credit/debit note reason), note, payment-means (UNTDID 4461, default 10), source (for messages)
    doc/route: name, value: EGS addressing keys (company-code, plant, branch, business-unit), passed on as
         <?zgw-route name=value?> processing instructions, which the gateway reads and removes
    doc/seller, doc/buyer: name, vat, id, id-scheme (CRN, MOM, MLS, 700, SAG, OTH; NAT/IQA/PAS/GCC for buyers),
         street, additional-street, building, district, city, postal, country (ISO 3166 alpha-2)
    doc/allowance: charge (true|false), amount, reason, reason-code, category, rate, exemption-code, exemption-reason
    doc/line: id, qty, unit (UN/ECE rec 20), price (net unit price), base-qty, net (line net amount; computed
         qty*price/base-qty when absent), name, seller-item, category (S, Z, E, O), rate, exemption-code,
         exemption-reason
    doc/control: net, tax, gross: the ERP's own totals; when present they must equal the computed ones, within
         tolerance (default 0; an ERP that rounds VAT per line rather than per category may differ by a cent a line)
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:zgw="urn:zatca-gateway:xslt"
    xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
    exclude-result-prefixes="#all">

  <!-- a UUID for the document (the gateway passes a fresh one with each transformation) -->
  <xsl:param name="ZgwUuid" as="xs:string" select="''"/>

  <xsl:function name="zgw:r2" as="xs:decimal">
    <xsl:param name="v" as="xs:decimal"/>
    <!-- half up, away from zero, 2 decimals (round-half-to-even is not what ZATCA's rules use); fn:round rounds
         halves up (towards positive infinity), so negative amounts are rounded as their absolute value -->
    <xsl:sequence select="if ($v lt 0) then -round(-$v, 2) else round($v, 2)"/>
  </xsl:function>

  <xsl:function name="zgw:a" as="xs:string">
    <xsl:param name="v" as="xs:decimal"/>
    <xsl:sequence select="format-number($v, '0.00')"/>
  </xsl:function>

  <xsl:function name="zgw:dec" as="xs:decimal">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="t" select="normalize-space($v)"/>
    <xsl:choose>
      <xsl:when test="$t castable as xs:decimal"><xsl:sequence select="xs:decimal($t)"/></xsl:when>
      <!-- SAP writes negative amounts with a trailing minus: 12.50- -->
      <xsl:when test="ends-with($t, '-') and substring($t, 1, string-length($t) - 1) castable as xs:decimal">
        <xsl:sequence select="-xs:decimal(substring($t, 1, string-length($t) - 1))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes" error-code="zgw:SOURCE-NUMBER">SOURCE-NUMBER: <xsl:value-of select="$what"/> is '<xsl:value-of select="$v"/>', not a number</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template name="zgw:require">
    <xsl:param name="value"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:param name="code" as="xs:string" select="'SOURCE-MISSING-FIELD'"/>
    <xsl:if test="normalize-space(string-join($value, '')) = ''">
      <xsl:message terminate="yes" error-code="zgw:{$code}"><xsl:value-of select="$code"/>: <xsl:value-of select="$what"/> is missing</xsl:message>
    </xsl:if>
  </xsl:template>

  <xsl:template name="zgw:ubl">
    <xsl:param name="doc" as="element(doc)"/>
    <xsl:variable name="cur" select="string($doc/@currency)"/>
    <xsl:variable name="simplified" select="$doc/@simplified = 'true'"/>
    <!-- lines with their computed net and VAT -->
    <xsl:variable name="lines" as="element(line)*">
      <xsl:for-each select="$doc/line">
        <xsl:variable name="qty" select="zgw:dec(@qty, 'quantity of line ' || @id)"/>
        <xsl:variable name="price" select="zgw:dec(@price, 'price of line ' || @id)"/>
        <xsl:variable name="base" select="if (normalize-space(@base-qty) = '') then 1 else zgw:dec(@base-qty, 'price unit of line ' || @id)"/>
        <xsl:variable name="net" select="if (normalize-space(@net) = '') then zgw:r2(if ($base eq 1) then $qty * $price else $qty * $price div $base) else zgw:r2(zgw:dec(@net, 'net amount of line ' || @id))"/>
        <xsl:variable name="rate" select="zgw:dec(@rate, 'VAT rate of line ' || @id)"/>
        <line xmlns="" net="{$net}" vat="{zgw:r2($net * $rate * 0.01)}" rate="{$rate}" qty="{$qty}" price="{$price}" base="{$base}">
          <xsl:copy-of select="@* except (@net, @rate, @qty, @price)"/>
        </line>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="allowances" as="element(allowance)*">
      <xsl:for-each select="$doc/allowance">
        <allowance xmlns="" amount="{zgw:r2(zgw:dec(@amount, 'amount of a document allowance or charge'))}"
                   rate="{zgw:dec(@rate, 'VAT rate of a document allowance or charge')}">
          <xsl:copy-of select="@* except (@amount, @rate)"/>
        </allowance>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="line-total" select="sum($lines/@net ! xs:decimal(.))" as="xs:decimal"/>
    <xsl:variable name="allowance-total" select="sum($allowances[not(@charge = 'true')]/@amount ! xs:decimal(.))" as="xs:decimal"/>
    <xsl:variable name="charge-total" select="sum($allowances[@charge = 'true']/@amount ! xs:decimal(.))" as="xs:decimal"/>
    <!-- VAT breakdown: one subtotal per category, rate and exemption reason -->
    <xsl:variable name="subtotals" as="element(sub)*">
      <xsl:for-each-group select="$lines, $allowances" group-by="string-join((@category, format-number(xs:decimal(@rate), '0.00'), @exemption-code), '|')">
        <xsl:variable name="taxable" select="sum(current-group()[self::line]/@net ! xs:decimal(.))
            - sum(current-group()[self::allowance][not(@charge = 'true')]/@amount ! xs:decimal(.))
            + sum(current-group()[self::allowance][@charge = 'true']/@amount ! xs:decimal(.))"/>
        <xsl:variable name="rate" select="xs:decimal(@rate)"/>
        <sub xmlns="" category="{@category}" rate="{$rate}" taxable="{zgw:r2($taxable)}" tax="{zgw:r2($taxable * $rate * 0.01)}"
             exemption-code="{(current-group()/@exemption-code)[1]}" exemption-reason="{(current-group()/@exemption-reason)[1]}"/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="tax-total" select="sum($subtotals/@tax ! xs:decimal(.))" as="xs:decimal"/>
    <xsl:variable name="exclusive" select="$line-total - $allowance-total + $charge-total"/>
    <xsl:variable name="inclusive" select="$exclusive + $tax-total"/>
    <xsl:variable name="sar-rate" select="if (normalize-space($doc/@sar-rate) = '') then 1 else zgw:dec($doc/@sar-rate, 'exchange rate')"/>

    <xsl:if test="$cur != 'SAR' and normalize-space($doc/@sar-rate) = ''">
      <xsl:message terminate="yes" error-code="zgw:SOURCE-MISSING-FIELD">SOURCE-MISSING-FIELD: exchange rate to SAR is missing for a document in <xsl:value-of select="$cur"/> (ZATCA needs the VAT total in SAR)</xsl:message>
    </xsl:if>
    <xsl:for-each select="$doc/control[normalize-space(@net) != '']">
      <xsl:if test="zgw:r2(zgw:dec(@net, 'control net total')) != $exclusive">
        <xsl:message terminate="yes" error-code="zgw:SOURCE-TOTALS">SOURCE-TOTALS: the export's net total <xsl:value-of select="@net"/> differs from the sum of its lines, allowances and charges <xsl:value-of select="zgw:a($exclusive)"/></xsl:message>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="tolerance" select="if (normalize-space($doc/control/@tolerance) = '') then 0 else xs:decimal($doc/control/@tolerance)"/>
    <xsl:for-each select="$doc/control[normalize-space(@tax) != '']">
      <xsl:if test="abs(zgw:r2(zgw:dec(@tax, 'control VAT total')) - $tax-total) gt $tolerance">
        <xsl:message terminate="yes" error-code="zgw:SOURCE-TOTALS">SOURCE-TOTALS: the export's VAT total <xsl:value-of select="@tax"/> differs from the VAT computed per category <xsl:value-of select="zgw:a($tax-total)"/></xsl:message>
      </xsl:if>
    </xsl:for-each>
    <xsl:for-each select="$doc/control[normalize-space(@gross) != '']">
      <xsl:if test="abs(zgw:r2(zgw:dec(@gross, 'control gross total')) - $inclusive) gt $tolerance">
        <xsl:message terminate="yes" error-code="zgw:SOURCE-TOTALS">SOURCE-TOTALS: the export's total with VAT <xsl:value-of select="@gross"/> differs from the computed <xsl:value-of select="zgw:a($inclusive)"/></xsl:message>
      </xsl:if>
    </xsl:for-each>

    <xsl:for-each select="$doc/route[normalize-space(@value) != '']">
      <xsl:processing-instruction name="zgw-route" select="@name || '=' || normalize-space(@value)"/>
    </xsl:for-each>
    <Invoice>
      <!-- declared once, on the root; every other literal element here excludes the stylesheet's namespaces
           (exclude-result-prefixes="#all"), which spares Saxon merging four namespace bindings into every element -->
      <xsl:namespace name="cac" select="'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'"/>
      <xsl:namespace name="cbc" select="'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'"/>
      <xsl:namespace name="ext" select="'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2'"/>
      <cbc:ProfileID>reporting:1.0</cbc:ProfileID>
      <cbc:ID><xsl:value-of select="$doc/@id"/></cbc:ID>
      <cbc:UUID><xsl:value-of select="$ZgwUuid"/></cbc:UUID>
      <cbc:IssueDate><xsl:value-of select="$doc/@issue-date"/></cbc:IssueDate>
      <cbc:IssueTime><xsl:value-of select="$doc/@issue-time"/></cbc:IssueTime>
      <cbc:InvoiceTypeCode name="{if ($simplified) then '0200000' else '0100000'}"><xsl:value-of select="$doc/@type"/></cbc:InvoiceTypeCode>
      <xsl:if test="normalize-space($doc/@note) != ''">
        <cbc:Note><xsl:value-of select="$doc/@note"/></cbc:Note>
      </xsl:if>
      <cbc:DocumentCurrencyCode><xsl:value-of select="$cur"/></cbc:DocumentCurrencyCode>
      <cbc:TaxCurrencyCode>SAR</cbc:TaxCurrencyCode>
      <xsl:if test="normalize-space($doc/@billing-ref) != ''">
        <cac:BillingReference>
          <cac:InvoiceDocumentReference>
            <cbc:ID><xsl:value-of select="$doc/@billing-ref"/></cbc:ID>
          </cac:InvoiceDocumentReference>
        </cac:BillingReference>
      </xsl:if>
      <cac:AccountingSupplierParty>
        <xsl:call-template name="zgw:party"><xsl:with-param name="p" select="$doc/seller"/></xsl:call-template>
      </cac:AccountingSupplierParty>
      <cac:AccountingCustomerParty>
        <xsl:choose>
          <xsl:when test="$doc/buyer[normalize-space(@name) != '' or normalize-space(@vat) != '']">
            <xsl:call-template name="zgw:party"><xsl:with-param name="p" select="$doc/buyer"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <cac:Party><cac:PartyLegalEntity><cbc:RegistrationName/></cac:PartyLegalEntity></cac:Party>
          </xsl:otherwise>
        </xsl:choose>
      </cac:AccountingCustomerParty>
      <xsl:if test="normalize-space($doc/@supply-date) != ''">
        <cac:Delivery>
          <cbc:ActualDeliveryDate><xsl:value-of select="$doc/@supply-date"/></cbc:ActualDeliveryDate>
          <xsl:if test="normalize-space($doc/@supply-end-date) != ''">
            <cbc:LatestDeliveryDate><xsl:value-of select="$doc/@supply-end-date"/></cbc:LatestDeliveryDate>
          </xsl:if>
        </cac:Delivery>
      </xsl:if>
      <cac:PaymentMeans>
        <cbc:PaymentMeansCode><xsl:value-of select="($doc/@payment-means[normalize-space() != ''], '10')[1]"/></cbc:PaymentMeansCode>
        <xsl:if test="normalize-space($doc/@reason) != ''">
          <cbc:InstructionNote><xsl:value-of select="$doc/@reason"/></cbc:InstructionNote>
        </xsl:if>
      </cac:PaymentMeans>
      <xsl:for-each select="$allowances">
        <cac:AllowanceCharge>
          <cbc:ChargeIndicator><xsl:value-of select="if (@charge = 'true') then 'true' else 'false'"/></cbc:ChargeIndicator>
          <xsl:if test="normalize-space(@reason-code) != ''">
            <cbc:AllowanceChargeReasonCode><xsl:value-of select="@reason-code"/></cbc:AllowanceChargeReasonCode>
          </xsl:if>
          <cbc:AllowanceChargeReason><xsl:value-of select="(@reason[normalize-space() != ''], if (@charge = 'true') then 'Charge' else 'Discount')[1]"/></cbc:AllowanceChargeReason>
          <cbc:Amount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@amount))"/></cbc:Amount>
          <cac:TaxCategory>
            <cbc:ID schemeID="UN/ECE 5305" schemeAgencyID="6"><xsl:value-of select="@category"/></cbc:ID>
            <cbc:Percent><xsl:value-of select="zgw:a(xs:decimal(@rate))"/></cbc:Percent>
            <cac:TaxScheme><cbc:ID schemeID="UN/ECE 5153" schemeAgencyID="6">VAT</cbc:ID></cac:TaxScheme>
          </cac:TaxCategory>
        </cac:AllowanceCharge>
      </xsl:for-each>
      <cac:TaxTotal>
        <cbc:TaxAmount currencyID="SAR"><xsl:value-of select="zgw:a(zgw:r2($tax-total * $sar-rate))"/></cbc:TaxAmount>
      </cac:TaxTotal>
      <cac:TaxTotal>
        <cbc:TaxAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($tax-total)"/></cbc:TaxAmount>
        <xsl:for-each select="$subtotals">
          <cac:TaxSubtotal>
            <cbc:TaxableAmount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@taxable))"/></cbc:TaxableAmount>
            <cbc:TaxAmount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@tax))"/></cbc:TaxAmount>
            <cac:TaxCategory>
              <cbc:ID schemeID="UN/ECE 5305" schemeAgencyID="6"><xsl:value-of select="@category"/></cbc:ID>
              <cbc:Percent><xsl:value-of select="zgw:a(xs:decimal(@rate))"/></cbc:Percent>
              <xsl:if test="normalize-space(@exemption-code) != ''">
                <cbc:TaxExemptionReasonCode><xsl:value-of select="@exemption-code"/></cbc:TaxExemptionReasonCode>
                <cbc:TaxExemptionReason><xsl:value-of select="@exemption-reason"/></cbc:TaxExemptionReason>
              </xsl:if>
              <cac:TaxScheme><cbc:ID schemeID="UN/ECE 5153" schemeAgencyID="6">VAT</cbc:ID></cac:TaxScheme>
            </cac:TaxCategory>
          </cac:TaxSubtotal>
        </xsl:for-each>
      </cac:TaxTotal>
      <cac:LegalMonetaryTotal>
        <cbc:LineExtensionAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($line-total)"/></cbc:LineExtensionAmount>
        <cbc:TaxExclusiveAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($exclusive)"/></cbc:TaxExclusiveAmount>
        <cbc:TaxInclusiveAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($inclusive)"/></cbc:TaxInclusiveAmount>
        <cbc:AllowanceTotalAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($allowance-total)"/></cbc:AllowanceTotalAmount>
        <xsl:if test="$charge-total != 0">
          <cbc:ChargeTotalAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($charge-total)"/></cbc:ChargeTotalAmount>
        </xsl:if>
        <cbc:PrepaidAmount currencyID="{$cur}">0.00</cbc:PrepaidAmount>
        <cbc:PayableAmount currencyID="{$cur}"><xsl:value-of select="zgw:a($inclusive)"/></cbc:PayableAmount>
      </cac:LegalMonetaryTotal>
      <xsl:for-each select="$lines">
        <cac:InvoiceLine>
          <cbc:ID><xsl:value-of select="@id"/></cbc:ID>
          <cbc:InvoicedQuantity unitCode="{(@unit[normalize-space() != ''], 'PCE')[1]}"><xsl:value-of select="@qty"/></cbc:InvoicedQuantity>
          <cbc:LineExtensionAmount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@net))"/></cbc:LineExtensionAmount>
          <cac:TaxTotal>
            <cbc:TaxAmount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@vat))"/></cbc:TaxAmount>
            <cbc:RoundingAmount currencyID="{$cur}"><xsl:value-of select="zgw:a(xs:decimal(@net) + xs:decimal(@vat))"/></cbc:RoundingAmount>
          </cac:TaxTotal>
          <cac:Item>
            <cbc:Name><xsl:value-of select="@name"/></cbc:Name>
            <xsl:if test="normalize-space(@seller-item) != ''">
              <cac:SellersItemIdentification><cbc:ID><xsl:value-of select="@seller-item"/></cbc:ID></cac:SellersItemIdentification>
            </xsl:if>
            <cac:ClassifiedTaxCategory>
              <cbc:ID><xsl:value-of select="@category"/></cbc:ID>
              <cbc:Percent><xsl:value-of select="zgw:a(xs:decimal(@rate))"/></cbc:Percent>
              <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
            </cac:ClassifiedTaxCategory>
          </cac:Item>
          <cac:Price>
            <cbc:PriceAmount currencyID="{$cur}"><xsl:value-of select="@price"/></cbc:PriceAmount>
            <xsl:if test="xs:decimal(@base) != 1">
              <cbc:BaseQuantity unitCode="{(@unit[normalize-space() != ''], 'PCE')[1]}"><xsl:value-of select="@base"/></cbc:BaseQuantity>
            </xsl:if>
          </cac:Price>
        </cac:InvoiceLine>
      </xsl:for-each>
    </Invoice>
  </xsl:template>

  <xsl:template name="zgw:party">
    <xsl:param name="p" as="element()?"/>
    <cac:Party>
      <xsl:if test="normalize-space($p/@id) != ''">
        <cac:PartyIdentification>
          <cbc:ID schemeID="{($p/@id-scheme[normalize-space() != ''], 'CRN')[1]}"><xsl:value-of select="$p/@id"/></cbc:ID>
        </cac:PartyIdentification>
      </xsl:if>
      <cac:PostalAddress>
        <xsl:if test="normalize-space($p/@street) != ''"><cbc:StreetName><xsl:value-of select="$p/@street"/></cbc:StreetName></xsl:if>
        <xsl:if test="normalize-space($p/@additional-street) != ''"><cbc:AdditionalStreetName><xsl:value-of select="$p/@additional-street"/></cbc:AdditionalStreetName></xsl:if>
        <xsl:if test="normalize-space($p/@building) != ''"><cbc:BuildingNumber><xsl:value-of select="$p/@building"/></cbc:BuildingNumber></xsl:if>
        <xsl:if test="normalize-space($p/@district) != ''"><cbc:CitySubdivisionName><xsl:value-of select="$p/@district"/></cbc:CitySubdivisionName></xsl:if>
        <xsl:if test="normalize-space($p/@city) != ''"><cbc:CityName><xsl:value-of select="$p/@city"/></cbc:CityName></xsl:if>
        <xsl:if test="normalize-space($p/@postal) != ''"><cbc:PostalZone><xsl:value-of select="$p/@postal"/></cbc:PostalZone></xsl:if>
        <cac:Country><cbc:IdentificationCode><xsl:value-of select="($p/@country[normalize-space() != ''], 'SA')[1]"/></cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <xsl:if test="normalize-space($p/@vat) != ''">
        <cac:PartyTaxScheme>
          <cbc:CompanyID><xsl:value-of select="$p/@vat"/></cbc:CompanyID>
          <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
        </cac:PartyTaxScheme>
      </xsl:if>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName><xsl:value-of select="$p/@name"/></cbc:RegistrationName>
      </cac:PartyLegalEntity>
    </cac:Party>
  </xsl:template>
</xsl:stylesheet>
