<?xml version="1.0" encoding="UTF-8"?>
<!--
  SAP IDoc INVOIC02 (XML, one IDOC per transformation: the gateway splits multi-IDoc files first) to UBL 2.1 as
  ZATCA profiles it. The mapping table is docs/mapping-sap-idoc.md; the VAT codes of your SAP system are mapped to
  ZATCA categories in $tax-codes below (edit it for your system's MWSKZ codes).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:zgw="urn:zatca-gateway:xslt"
    exclude-result-prefixes="xs zgw">

  <xsl:include href="ubl-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:mode on-no-match="shallow-skip"/>

  <!-- MWSKZ (tax code) to ZATCA category; exemption codes and texts as ZATCA lists them (static: built once, when the
       stylesheet is compiled, not for every document) -->
  <xsl:variable name="tax-codes" static="yes" as="map(xs:string, map(xs:string, xs:string))" select="map {
      'S1': map { 'category': 'S' },
      'Z1': map { 'category': 'Z', 'code': 'VATEX-SA-32', 'reason': 'Export of goods' },
      'Z2': map { 'category': 'Z', 'code': 'VATEX-SA-33', 'reason': 'Export of services' },
      'Z3': map { 'category': 'Z', 'code': 'VATEX-SA-35', 'reason': 'Medicines and medical equipment' },
      'E1': map { 'category': 'E', 'code': 'VATEX-SA-29', 'reason': 'Financial services mentioned in Article 29 of the VAT Regulations' },
      'E2': map { 'category': 'E', 'code': 'VATEX-SA-30', 'reason': 'Real estate transactions mentioned in Article 30 of the VAT Regulations' },
      'O1': map { 'category': 'O', 'code': 'VATEX-SA-OOS', 'reason': 'Not subject to VAT' }
    }"/>
  <!-- billing types (E1EDK14 QUALF 015) that are debit memos; BSART CRME is a credit memo, anything else an invoice -->
  <xsl:param name="debit-billing-types" as="xs:string" select="'L2 L2N ZL2'"/>

  <xsl:function name="zgw:sap-date" as="xs:string">
    <xsl:param name="d" as="xs:string?"/>
    <xsl:sequence select="if (matches(normalize-space($d), '^[0-9]{8}$'))
        then substring($d, 1, 4) || '-' || substring($d, 5, 2) || '-' || substring($d, 7, 2) else ''"/>
  </xsl:function>

  <xsl:function name="zgw:sap-time" as="xs:string">
    <xsl:param name="t" as="xs:string?"/>
    <xsl:sequence select="if (matches(normalize-space($t), '^[0-9]{6}$'))
        then substring($t, 1, 2) || ':' || substring($t, 3, 2) || ':' || substring($t, 5, 2) else ''"/>
  </xsl:function>

  <xsl:function name="zgw:tax" as="map(xs:string, xs:string)">
    <xsl:param name="seg" as="element()?"/>
    <xsl:param name="where" as="xs:string"/>
    <xsl:variable name="code" select="normalize-space($seg/MWSKZ)"/>
    <xsl:variable name="rate" select="normalize-space($seg/MSATZ)"/>
    <xsl:choose>
      <xsl:when test="empty($seg)">
        <xsl:message terminate="yes" error-code="zgw:SAP-MISSING-SEGMENT">SAP-MISSING-SEGMENT: <xsl:value-of select="$where"/> has no E1EDP04 (tax) segment</xsl:message>
      </xsl:when>
      <xsl:when test="map:contains($tax-codes, $code)" xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:sequence select="map:merge(($tax-codes($code), map { 'rate': if ($tax-codes($code)('category') = 'S') then ($rate[. != ''], '15')[1] else '0' }))"/>
      </xsl:when>
      <xsl:when test="$rate castable as xs:decimal and xs:decimal($rate) gt 0">
        <xsl:sequence select="map { 'category': 'S', 'rate': $rate }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes" error-code="zgw:SAP-TAX-CODE">SAP-TAX-CODE: <xsl:value-of select="$where"/> has tax code '<xsl:value-of select="$code"/>' at <xsl:value-of select="($rate[. != ''], 'no rate')[1]"/>%: map it to a ZATCA category (Z, E or O with its exemption reason) in xslt/sap-idoc-to-ubl.xsl</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="idoc" select="/INVOIC02/IDOC"/>
    <xsl:if test="count($idoc) != 1">
      <xsl:message terminate="yes" error-code="zgw:SAP-STRUCTURE">SAP-STRUCTURE: expected one INVOIC02/IDOC, found <xsl:value-of select="count($idoc)"/></xsl:message>
    </xsl:if>
    <xsl:variable name="docnum" select="string($idoc/EDI_DC40/DOCNUM)"/>
    <xsl:for-each select="'EDI_DC40', 'E1EDK01', 'E1EDK03', 'E1EDP01'">
      <xsl:if test="empty($idoc/*[local-name() = current()])">
        <xsl:message terminate="yes" error-code="zgw:SAP-MISSING-SEGMENT">SAP-MISSING-SEGMENT: IDoc <xsl:value-of select="$docnum"/> has no mandatory segment <xsl:value-of select="."/></xsl:message>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="k01" select="$idoc/E1EDK01"/>
    <xsl:variable name="seller" select="$idoc/E1EDKA1[PARVW = 'RS']"/>
    <xsl:variable name="buyer" select="($idoc/E1EDKA1[PARVW = 'AG'], $idoc/E1EDKA1[PARVW = 'RE'])[1]"/>
    <xsl:if test="empty($seller)">
      <xsl:message terminate="yes" error-code="zgw:SAP-MISSING-SEGMENT">SAP-MISSING-SEGMENT: IDoc <xsl:value-of select="$docnum"/> has no E1EDKA1 segment with PARVW RS (invoicing party, the seller)</xsl:message>
    </xsl:if>
    <xsl:variable name="number" select="normalize-space(($idoc/E1EDK02[QUALF = '009']/BELNR, $k01/BELNR)[normalize-space() != ''][1])"/>
    <xsl:call-template name="zgw:require"><xsl:with-param name="value" select="$number"/><xsl:with-param name="what" select="'document number (E1EDK02 QUALF 009 BELNR or E1EDK01 BELNR) in IDoc ' || $docnum"/></xsl:call-template>
    <xsl:variable name="billing-type" select="normalize-space($idoc/E1EDK14[QUALF = '015']/ORGID)"/>
    <xsl:variable name="type" select="if (normalize-space($k01/BSART) = 'CRME') then '381'
        else if ($billing-type != '' and $billing-type = tokenize($debit-billing-types)) then '383' else '388'"/>
    <xsl:variable name="buyer-vat" select="normalize-space($k01/KUNDEUINR)"/>
    <xsl:variable name="issue" select="$idoc/E1EDK03[IDDAT = '012']"/>
    <xsl:call-template name="zgw:require"><xsl:with-param name="value" select="zgw:sap-date($issue/DATUM)"/><xsl:with-param name="what" select="'document date (E1EDK03 IDDAT 012 DATUM, yyyyMMdd) in IDoc ' || $docnum"/></xsl:call-template>
    <xsl:variable name="currency" select="(normalize-space($k01/CURCY)[. != ''], 'SAR')[1]"/>
    <xsl:variable name="doc" as="element(doc)">
      <doc id="{$number}" type="{$type}"
           simplified="{if ($buyer-vat = '' and normalize-space($idoc/E1EDK14[QUALF = 'Z01']/ORGID) != 'B2B') then 'true' else 'false'}"
           issue-date="{zgw:sap-date($issue/DATUM)}"
           issue-time="{(zgw:sap-time($issue/UZEIT)[. != ''], '00:00:00')[1]}"
           supply-date="{zgw:sap-date($idoc/E1EDK03[IDDAT = '011']/DATUM)}"
           currency="{$currency}"
           sar-rate="{if ($currency = 'SAR') then '' else normalize-space($k01/WKURS)}"
           billing-ref="{normalize-space($idoc/E1EDK02[QUALF = '011']/BELNR)}"
           reason="{normalize-space(($k01/AUGRU_BEZ, $k01/AUGRU)[normalize-space() != ''][1])}"
           note="{normalize-space(string-join($idoc/E1EDKT1[TDID = '0001']/E1EDKT2/TDLINE, ' '))}"
           payment-means="{normalize-space($idoc/E1EDK14[QUALF = 'Z02']/ORGID)}"
           source="IDoc {$docnum}">
        <route name="company-code" value="{$idoc/E1EDK14[QUALF = '003']/ORGID}"/>
        <route name="sales-organisation" value="{$idoc/E1EDK14[QUALF = '008']/ORGID}"/>
        <route name="plant" value="{($idoc/E1EDP01/WERKS)[1]}"/>
        <route name="branch" value="{$idoc/E1EDK14[QUALF = '016']/ORGID}"/>
        <seller name="{$seller/NAME1}" vat="{normalize-space($k01/EIGENUINR)}" id="{$seller/IHREZ}" id-scheme="CRN"
                street="{$seller/STRAS}" additional-street="{$seller/STRS2}" building="{$seller/HAUSN}" district="{$seller/ORT02}"
                city="{$seller/ORT01}" postal="{$seller/PSTLZ}" country="{$seller/LAND1}"/>
        <xsl:if test="exists($buyer)">
          <buyer name="{$buyer/NAME1}" vat="{$buyer-vat}" street="{$buyer/STRAS}" additional-street="{$buyer/STRS2}"
                 building="{$buyer/HAUSN}" district="{$buyer/ORT02}" city="{$buyer/ORT01}" postal="{$buyer/PSTLZ}" country="{$buyer/LAND1}"/>
        </xsl:if>
        <xsl:for-each select="$idoc/E1EDK05[normalize-space(BETRG) != '']">
          <xsl:variable name="t" select="zgw:tax(., 'header condition ' || KOTXT)"/>
          <allowance charge="{if (normalize-space(ALCKZ) = '+') then 'true' else 'false'}" amount="{translate(normalize-space(BETRG), '-', '')}"
                     reason="{normalize-space(KOTXT)}" reason-code="{if (normalize-space(ALCKZ) = '+') then '' else '95'}"
                     category="{$t('category')}" rate="{$t('rate')}" exemption-code="{$t('code')}" exemption-reason="{$t('reason')}"/>
        </xsl:for-each>
        <xsl:for-each select="$idoc/E1EDP01">
          <xsl:variable name="where" select="'item ' || POSEX"/>
          <xsl:variable name="t" select="zgw:tax(E1EDP04[1], $where)"/>
          <line id="{(normalize-space(POSEX)[. != ''], position())[1]}" qty="{normalize-space(MENGE)}" unit="{normalize-space(MENEE)}"
                price="{normalize-space(VPREI)}" base-qty="{normalize-space(PEINH)}"
                net="{normalize-space(translate((E1EDP26[QUALF = '003']/BETRG)[1], ' ', ''))}"
                name="{normalize-space((E1EDP19[QUALF = '002']/KTEXT, E1EDP19/KTEXT)[normalize-space() != ''][1])}"
                seller-item="{normalize-space(E1EDP19[QUALF = '002']/IDTNR)}"
                category="{$t('category')}" rate="{$t('rate')}" exemption-code="{$t('code')}" exemption-reason="{$t('reason')}"/>
        </xsl:for-each>
        <control tolerance="{0.01 * count($idoc/E1EDP01/E1EDP04)}" net="{normalize-space(($idoc/E1EDS01[SUMID = '010']/SUMME)[1])}" tax="{normalize-space((($idoc/E1EDS01[SUMID = '005']/SUMME)[1],
                   if (exists($idoc/E1EDK04/MWSBT)) then string(sum($idoc/E1EDK04/MWSBT ! zgw:dec(., 'E1EDK04 MWSBT (tax amount)'))) else ())[1])}"
                 gross="{normalize-space(($idoc/E1EDS01[SUMID = '011']/SUMME)[1])}"/>
      </doc>
    </xsl:variable>
    <xsl:call-template name="zgw:ubl"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
