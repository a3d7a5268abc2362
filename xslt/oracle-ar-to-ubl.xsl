<?xml version="1.0" encoding="UTF-8"?>
<!--
  Oracle Receivables (AR) transaction export, one RA_CUSTOMER_TRX per file, to UBL 2.1 as ZATCA profiles it.
  The mapping table is docs/mapping-oracle-ar.md; tax rate codes of your Oracle E-Business Tax setup are mapped to
  ZATCA categories in $tax-codes below.
  Oracle stores credit memo amounts and quantities as negative numbers; ZATCA credit notes carry positive ones, so
  the signs of a CM are turned. A LINE with a negative amount on an invoice or debit memo is a discount and becomes a
  document-level allowance; FREIGHT and CHARGES lines become document-level charges.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:zgw="urn:zatca-gateway:xslt"
    exclude-result-prefixes="xs map zgw">

  <xsl:include href="ubl-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:mode on-no-match="shallow-skip"/>

  <!-- TAX_RATE_CODE to ZATCA category; exemption codes and texts as ZATCA lists them (static: built once, when the
       stylesheet is compiled, not for every document) -->
  <xsl:variable name="tax-codes" static="yes" as="map(xs:string, map(xs:string, xs:string))" select="map {
      'VAT15': map { 'category': 'S' },
      'VAT0-EXPORT-GOODS': map { 'category': 'Z', 'code': 'VATEX-SA-32', 'reason': 'Export of goods' },
      'VAT0-EXPORT-SERVICES': map { 'category': 'Z', 'code': 'VATEX-SA-33', 'reason': 'Export of services' },
      'VAT0-MEDICAL': map { 'category': 'Z', 'code': 'VATEX-SA-35', 'reason': 'Medicines and medical equipment' },
      'VAT-EXEMPT-FINANCIAL': map { 'category': 'E', 'code': 'VATEX-SA-29', 'reason': 'Financial services mentioned in Article 29 of the VAT Regulations' },
      'VAT-EXEMPT-REAL-ESTATE': map { 'category': 'E', 'code': 'VATEX-SA-30', 'reason': 'Real estate transactions mentioned in Article 30 of the VAT Regulations' },
      'VAT-OUT-OF-SCOPE': map { 'category': 'O', 'code': 'VATEX-SA-OOS', 'reason': 'Not subject to VAT' }
    }"/>

  <xsl:function name="zgw:tax" as="map(xs:string, xs:string)">
    <xsl:param name="taxline" as="element()?"/>
    <xsl:param name="where" as="xs:string"/>
    <xsl:variable name="code" select="normalize-space($taxline/TAX_RATE_CODE)"/>
    <xsl:variable name="rate" select="normalize-space($taxline/TAX_RATE)"/>
    <xsl:choose>
      <xsl:when test="empty($taxline)">
        <xsl:message terminate="yes" error-code="zgw:ORACLE-MISSING-TAX">ORACLE-MISSING-TAX: <xsl:value-of select="$where"/> has no TAX line linked to it (LINK_TO_CUST_TRX_LINE_ID)</xsl:message>
      </xsl:when>
      <xsl:when test="map:contains($tax-codes, $code)">
        <xsl:sequence select="map:merge(($tax-codes($code), map { 'rate': if ($tax-codes($code)('category') = 'S') then ($rate[. != ''], '15')[1] else '0' }))"/>
      </xsl:when>
      <xsl:when test="$rate castable as xs:decimal and xs:decimal($rate) gt 0">
        <xsl:sequence select="map { 'category': 'S', 'rate': $rate }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes" error-code="zgw:ORACLE-TAX-CODE">ORACLE-TAX-CODE: <xsl:value-of select="$where"/> has tax rate code '<xsl:value-of select="$code"/>' at <xsl:value-of select="($rate[. != ''], 'no rate')[1]"/>%: map it to a ZATCA category (Z, E or O with its exemption reason) in xslt/oracle-ar-to-ubl.xsl</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- an amount as ZATCA wants it: positive on credit memos -->
  <xsl:function name="zgw:abs" as="xs:string">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:variable name="t" select="normalize-space($v)"/>
    <xsl:sequence select="if (starts-with($t, '-')) then substring($t, 2) else $t"/>
  </xsl:function>

  <xsl:function name="zgw:date" as="xs:string">
    <xsl:param name="d" as="xs:string?"/>
    <xsl:sequence select="if (matches(normalize-space($d), '^[0-9]{4}-[0-9]{2}-[0-9]{2}')) then substring(normalize-space($d), 1, 10) else ''"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="trx" select="/RA_CUSTOMER_TRX"/>
    <xsl:if test="empty($trx)">
      <xsl:message terminate="yes" error-code="zgw:ORACLE-STRUCTURE">ORACLE-STRUCTURE: the root element must be RA_CUSTOMER_TRX</xsl:message>
    </xsl:if>
    <xsl:variable name="number" select="normalize-space($trx/TRX_NUMBER)"/>
    <xsl:call-template name="zgw:require"><xsl:with-param name="value" select="$number"/><xsl:with-param name="what" select="'TRX_NUMBER'"/></xsl:call-template>
    <xsl:call-template name="zgw:require"><xsl:with-param name="value" select="zgw:date($trx/TRX_DATE)"/><xsl:with-param name="what" select="'TRX_DATE (yyyy-MM-dd) of transaction ' || $number"/></xsl:call-template>
    <xsl:call-template name="zgw:require"><xsl:with-param name="value" select="$trx/LEGAL_ENTITY/TAX_REGISTRATION_NUMBER"/><xsl:with-param name="what" select="'LEGAL_ENTITY/TAX_REGISTRATION_NUMBER (seller VAT) of transaction ' || $number"/></xsl:call-template>
    <xsl:if test="empty($trx/RA_CUSTOMER_TRX_LINES/LINE[LINE_TYPE = 'LINE'])">
      <xsl:message terminate="yes" error-code="zgw:ORACLE-STRUCTURE">ORACLE-STRUCTURE: transaction <xsl:value-of select="$number"/> has no RA_CUSTOMER_TRX_LINES/LINE with LINE_TYPE LINE</xsl:message>
    </xsl:if>
    <xsl:variable name="class" select="upper-case(normalize-space($trx/TRX_CLASS))"/>
    <xsl:variable name="type" select="if ($class = 'CM') then '381' else if ($class = 'DM') then '383' else if ($class = ('INV', '')) then '388'
        else error(xs:QName('zgw:ORACLE-TRX-CLASS'), 'ORACLE-TRX-CLASS: TRX_CLASS ' || $class || ' of transaction ' || $number || ' is not INV, CM or DM')"/>
    <xsl:variable name="credit" select="$class = 'CM'"/>
    <xsl:variable name="explicit" select="upper-case(normalize-space($trx/ZATCA_TRANSACTION_TYPE))"/>
    <xsl:variable name="simplified" select="if ($explicit = 'SIMPLIFIED') then true() else if ($explicit = 'STANDARD') then false()
        else normalize-space($trx/BILL_TO/TAX_REFERENCE) = ''"/>
    <xsl:variable name="created" select="normalize-space($trx/CREATION_DATE)"/>
    <xsl:variable name="currency" select="(normalize-space($trx/INVOICE_CURRENCY_CODE)[. != ''], 'SAR')[1]"/>
    <xsl:variable name="lines" select="$trx/RA_CUSTOMER_TRX_LINES/LINE"/>
    <xsl:variable name="doc" as="element(doc)">
      <doc id="{$number}" type="{$type}" simplified="{$simplified}"
           issue-date="{zgw:date($trx/TRX_DATE)}"
           issue-time="{if (matches($created, 'T[0-9]{2}:[0-9]{2}:[0-9]{2}')) then substring-after($created, 'T') => substring(1, 8) else '00:00:00'}"
           supply-date="{zgw:date($trx/SHIP_DATE_ACTUAL)}"
           currency="{$currency}"
           sar-rate="{if ($currency = 'SAR') then '' else normalize-space($trx/EXCHANGE_RATE)}"
           billing-ref="{normalize-space($trx/PREVIOUS_TRX_NUMBER)}"
           reason="{normalize-space(($trx/REASON_CODE_MEANING, $trx/REASON_CODE)[normalize-space() != ''][1])}"
           note="{normalize-space($trx/COMMENTS)}"
           payment-means="{normalize-space($trx/ZATCA_PAYMENT_MEANS_CODE)}"
           source="transaction {$number}">
        <route name="business-unit" value="{normalize-space($trx/ORG_ID)}"/>
        <route name="branch" value="{normalize-space($trx/LEGAL_ENTITY/BRANCH)}"/>
        <xsl:for-each select="$trx/LEGAL_ENTITY">
          <seller name="{NAME}" vat="{normalize-space(TAX_REGISTRATION_NUMBER)}" id="{normalize-space(REGISTRATION_NUMBER)}"
                  id-scheme="{(normalize-space(REGISTRATION_SCHEME)[. != ''], 'CRN')[1]}"
                  street="{ADDRESS1}" additional-street="{ADDRESS2}" building="{BUILDING_NUMBER}" district="{DISTRICT}"
                  city="{CITY}" postal="{POSTAL_CODE}" country="{COUNTRY}"/>
        </xsl:for-each>
        <xsl:for-each select="$trx/BILL_TO">
          <buyer name="{CUSTOMER_NAME}" vat="{normalize-space(TAX_REFERENCE)}" id="{normalize-space(REGISTRATION_NUMBER)}"
                 id-scheme="{normalize-space(REGISTRATION_SCHEME)}"
                 street="{ADDRESS1}" additional-street="{ADDRESS2}" building="{BUILDING_NUMBER}" district="{DISTRICT}"
                 city="{CITY}" postal="{POSTAL_CODE}" country="{COUNTRY}"/>
        </xsl:for-each>
        <xsl:for-each select="$lines[LINE_TYPE = ('FREIGHT', 'CHARGES') or (LINE_TYPE = 'LINE' and not($credit) and starts-with(normalize-space(EXTENDED_AMOUNT), '-'))]">
          <xsl:variable name="t" select="zgw:tax($lines[LINE_TYPE = 'TAX'][LINK_TO_CUST_TRX_LINE_ID = current()/CUSTOMER_TRX_LINE_ID][1], 'line ' || LINE_NUMBER)"/>
          <xsl:variable name="charge" select="LINE_TYPE != 'LINE' and not(starts-with(normalize-space(EXTENDED_AMOUNT), '-'))"/>
          <allowance charge="{$charge}" amount="{zgw:abs(EXTENDED_AMOUNT)}" reason="{normalize-space(DESCRIPTION)}"
                     reason-code="{if ($charge) then (if (LINE_TYPE = 'FREIGHT') then 'FC' else '') else '95'}"
                     category="{$t('category')}" rate="{$t('rate')}" exemption-code="{$t('code')}" exemption-reason="{$t('reason')}"/>
        </xsl:for-each>
        <xsl:for-each select="$lines[LINE_TYPE = 'LINE' and ($credit or not(starts-with(normalize-space(EXTENDED_AMOUNT), '-')))]">
          <xsl:variable name="t" select="zgw:tax($lines[LINE_TYPE = 'TAX'][LINK_TO_CUST_TRX_LINE_ID = current()/CUSTOMER_TRX_LINE_ID][1], 'line ' || LINE_NUMBER)"/>
          <line id="{normalize-space(LINE_NUMBER)}"
                qty="{zgw:abs((QUANTITY_INVOICED, QUANTITY_CREDITED)[normalize-space() != ''][1])}" unit="{normalize-space(UOM_CODE)}"
                price="{zgw:abs(UNIT_SELLING_PRICE)}" net="{zgw:abs(EXTENDED_AMOUNT)}"
                name="{normalize-space(DESCRIPTION)}" seller-item="{normalize-space(INVENTORY_ITEM)}"
                category="{$t('category')}" rate="{$t('rate')}" exemption-code="{$t('code')}" exemption-reason="{$t('reason')}"/>
        </xsl:for-each>
        <control tolerance="{0.01 * count($lines[LINE_TYPE = 'TAX'])}" gross="{zgw:abs($trx/AMOUNT_DUE_ORIGINAL)}"
                 tax="{if (exists($lines[LINE_TYPE = 'TAX'])) then format-number(abs(sum($lines[LINE_TYPE = 'TAX']/EXTENDED_AMOUNT ! zgw:dec(., 'TAX line amount'))), '0.00') else ''}"/>
      </doc>
    </xsl:variable>
    <xsl:call-template name="zgw:ubl"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
