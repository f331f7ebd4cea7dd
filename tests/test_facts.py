"""One ASK per statement of the source text: the graph holds every fact of the process."""

import pytest

PREFIXES = """
PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
PREFIX time: <http://www.w3.org/2006/time#>
BASE <https://w3id.org/newborn-kg/id/>
PREFIX cpsv: <http://purl.org/vocab/cpsv#>
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# A step "needs" a document through its own requirements or those of its actions.
NEEDS = "nkg:hasAction?/nkg:hasDocumentRequirement/nkg:document"
MAKES = "nkg:hasAction?/nkg:produces"

FACTS = [
    # ---- the service
    (
        "the service is a public service in Henan",
        "ASK { ?s a cpsv:PublicService , schema:GovernmentService ; dct:spatial ?p . ?p owl:sameAs <http://www.wikidata.org/entity/Q43684> }",
    ),
    (
        "the process has exactly four steps",
        "ASK { { SELECT (COUNT(?st) AS ?n) WHERE { <region/410000/v1/service/newborn-medical-insurance-card> nkg:hasStep ?st } } FILTER(?n = 4) }",
    ),
    (
        "the steps are ordered 1 → 2 → 3 → 4",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/1> nkg:nextStep <region/410000/v1/service/newborn-medical-insurance-card/step/2> . <region/410000/v1/service/newborn-medical-insurance-card/step/2> nkg:nextStep <region/410000/v1/service/newborn-medical-insurance-card/step/3> . <region/410000/v1/service/newborn-medical-insurance-card/step/3> nkg:nextStep <region/410000/v1/service/newborn-medical-insurance-card/step/4> . <region/410000/v1/service/newborn-medical-insurance-card/step/4> nkg:previousStep <region/410000/v1/service/newborn-medical-insurance-card/step/3> FILTER NOT EXISTS { <region/410000/v1/service/newborn-medical-insurance-card/step/4> nkg:nextStep ?x } }",
    ),
    (
        "the service belongs to the life event 'birth of a child'",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card> cv:isGroupedBy ?e . ?e a cv:LifeEvent, skos:Concept ; rdfs:label 'Birth of a child'@en }",
    ),
    # ---- step 1
    (
        "step 1 happens at the hospital",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/1> nkg:atOffice <region/410000/office/hospital> . <region/410000/office/hospital> a schema:Hospital }",
    ),
    (
        "step 1 needs the (birth) certificate, as the source states it",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/1> {NEEDS} <document/medical-birth-certificate> }}",
    ),
    (
        "step 1 needs the household registration book",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/1> {NEEDS} <document/household-registration-book> }}",
    ),
    (
        "the marriage certificate is needed at step 1 only",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/1> {NEEDS} <document/marriage-certificate> FILTER NOT EXISTS {{ ?other {NEEDS} <document/marriage-certificate> FILTER(?other != <region/410000/v1/service/newborn-medical-insurance-card/step/1>) }} }}",
    ),
    (
        "step 1 produces the Medical Birth Certificate",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/1> {MAKES} <document/medical-birth-certificate> . <document/medical-birth-certificate> rdfs:label '出生医学证明'@zh }}",
    ),
    (
        "the circular 'birth certificate' of step 1 is recorded as an ambiguity",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/1/requirement/medical-birth-certificate> skos:editorialNote ?n FILTER(lang(?n) = 'en' && CONTAINS(?n, 'circular')) }",
    ),
    (
        "step 1 happens 'according to the specified time', unstated",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/1> skos:editorialNote ?n FILTER(CONTAINS(?n, 'specified time')) }",
    ),
    # ---- step 2
    (
        "step 2 has two actions: family planning office, then police station",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/2> nkg:hasAction ?a1, ?a2 . ?a1 nkg:position 1 ; nkg:atOffice <region/410000/office/family-planning-office> . ?a2 nkg:position 2 ; nkg:atOffice <region/410000/office/police-station> }",
    ),
    (
        "the family planning office belongs to the local community service centre",
        "ASK { <region/410000/office/family-planning-office> rdfs:label ?l ; skos:altLabel '计生办'@zh FILTER(CONTAINS(?l, 'community service centre')) }",
    ),
    (
        "at the family planning office: the birth certificate and the household registration book",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/2/action/1> nkg:hasDocumentRequirement/nkg:document <document/medical-birth-certificate>, <document/household-registration-book> }",
    ),
    (
        "the family planning office opens a certificate",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/2/action/1> nkg:produces <document/family-planning-certificate> }",
    ),
    (
        "the police station needs the certificate and the first two documents",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/2/action/2> nkg:hasDocumentRequirement/nkg:document <document/family-planning-certificate>, <document/medical-birth-certificate>, <document/household-registration-book> }",
    ),
    (
        "the police station registers the child",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/2/action/2> nkg:produces <document/childs-household-registration> }",
    ),
    (
        "registering gives the child an ID number",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/2> {MAKES} <output/citizen-id-number> }}",
    ),
    # ---- step 3
    (
        "step 3 happens at the Postal Savings Bank",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/3> nkg:atOffice <region/410000/office/postal-savings-bank> . <region/410000/office/postal-savings-bank> rdfs:label '中国邮政储蓄银行'@zh ; skos:altLabel '邮储银行'@zh }",
    ),
    (
        "step 3 needs the child's household registration book",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/3> {NEEDS} <document/childs-household-registration> }}",
    ),
    (
        "step 3 needs the birth certificate",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/3> {NEEDS} <document/medical-birth-certificate> }}",
    ),
    (
        "step 3 opens an account for the child",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/3> {MAKES} <output/bank-account> }}",
    ),
    (
        "step 3 fills in the newborn insurance form, recorded as unclear",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/3> nkg:hasAction ?a . ?a nkg:position 2 ; skos:editorialNote ?n FILTER(CONTAINS(?n, 'newborn insurance account')) }",
    ),
    (
        "step 3 applies for an insurance card",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/3> {MAKES} <document/insurance-card> }}",
    ),
    # ---- step 4
    (
        "step 4 happens at the community social security office",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/4> nkg:atOffice <region/410000/office/community-social-security-office> }",
    ),
    (
        "step 4 needs the child's birth certificate ('my' recorded as 本人)",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/4> nkg:hasDocumentRequirement ?r . ?r nkg:document <document/medical-birth-certificate> ; skos:editorialNote ?n FILTER(CONTAINS(?n, '本人')) }",
    ),
    (
        "step 4 needs the household registration book and the insurance card",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/4> {NEEDS} <document/household-registration-book>, <document/insurance-card> }}",
    ),
    (
        "step 4 produces the newborn medical insurance card",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/4> {MAKES} <document/medical-insurance-card> . <region/410000/v1/service/newborn-medical-insurance-card> cpsv:produces <document/medical-insurance-card> }}",
    ),
    (
        "prerequisites follow by property paths: step 4 transitively needs steps 1, 2 and 3",
        f"ASK {{ <region/410000/v1/service/newborn-medical-insurance-card/step/4> ({NEEDS}/^nkg:produces/^nkg:hasAction?)+ <region/410000/v1/service/newborn-medical-insurance-card/step/1>, <region/410000/v1/service/newborn-medical-insurance-card/step/2>, <region/410000/v1/service/newborn-medical-insurance-card/step/3> }}",
    ),
    # ---- activation channels
    (
        "there are three activation channels, each activating the medical insurance card",
        "ASK { { SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a nkg:ActivationChannel ; nkg:activates <document/medical-insurance-card> } } FILTER(?n = 3) }",
    ),
    (
        "bank channel: bring the medical insurance card to your bank",
        "ASK { <region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank> nkg:atOffice <region/410000/office/associated-bank> ; nkg:hasDocumentRequirement/nkg:document <document/medical-insurance-card> }",
    ),
    (
        "the bank channel sets two passwords: account and medical insurance account",
        "ASK { { SELECT (COUNT(?p) AS ?n) WHERE { <region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank> nkg:setsPassword ?p } } FILTER(?n = 2) <region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank> nkg:setsPassword <password/bank-account>, <password/medical-insurance-account> }",
    ),
    (
        "the bank channel opens the bank card function of the social security card",
        "ASK { <region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank> nkg:effect ?e FILTER(lang(?e) = 'en' && CONTAINS(?e, 'bank card function')) }",
    ),
    (
        "social security channel: medical insurance card and ID card to the Social Security Bureau",
        "ASK { <region/410000/v1/service/medical-insurance-card-activation/channel/social-security-centre> nkg:atOffice <region/410000/office/social-security-bureau> ; nkg:hasDocumentRequirement/nkg:document <document/medical-insurance-card>, <document/resident-id-card> . <region/410000/office/social-security-bureau> skos:altLabel '社保局'@zh }",
    ),
    (
        "social security channel: the service window staff help activate the card",
        "ASK { <region/410000/v1/service/medical-insurance-card-activation/channel/social-security-centre> nkg:servicePoint 'service window'@en ; nkg:effect ?e FILTER(CONTAINS(?e, 'staff')) }",
    ),
    (
        "hospital channel: settle accounts directly at a designated hospital",
        "ASK { <region/410000/v1/service/medical-insurance-card-activation/channel/designated-hospital> nkg:atOffice <region/410000/office/designated-hospital> ; nkg:effect ?e FILTER(CONTAINS(?e, 'settle accounts')) }",
    ),
    # ---- the summary checklist
    (
        "register the newborn and get the ID number first",
        "ASK { <region/410000/v1/rule/register-before-enrolment> nkg:appliesTo <region/410000/v1/service/newborn-medical-insurance-card/step/4> ; prov:wasDerivedFrom ?s . ?s nkg:quote ?q FILTER(CONTAINS(?q, 'register the newborn first')) }",
    ),
    (
        "copy of the household registration book's first page",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities> nkg:hasDocumentRequirement ?r . ?r nkg:document <document/household-registration-book> ; nkg:form <form/copy> ; nkg:part <part/first-page> }",
    ),
    (
        "copy of the child's page of the household registration book",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities> nkg:hasDocumentRequirement ?r . ?r nkg:document <document/household-registration-book> ; nkg:form <form/copy> ; nkg:part <part/childs-page> }",
    ),
    (
        "copy of both sides of the parents' ID cards",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities> nkg:hasDocumentRequirement ?r . ?r nkg:document <document/resident-id-card> ; nkg:form <form/copy> ; nkg:part <part/both-sides> }",
    ),
    (
        "the one-inch photo, blue or red background, is conditional: needed in some places",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities> nkg:hasDocumentRequirement ?r . ?r nkg:document <document/one-inch-photo> ; nkg:isConditional true ; nkg:condition 'needed in some places'@en ; nkg:specification 'blue or red background'@en }",
    ),
    (
        "only the photo is conditional",
        "ASK { { SELECT (COUNT(?r) AS ?n) WHERE { ?r nkg:isConditional true } } FILTER(?n = 1) }",
    ),
    (
        "the formalities happen where the household is registered, at the labour and social security office",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities> nkg:atOffice <region/410000/office/community-social-security-office> . <region/410000/office/community-social-security-office> skos:prefLabel '街道或社区劳动保障所'@zh, 'street or community labour and social security office'@en }",
    ),
    # ---- legal basis
    (
        "the deadline is P1M, counted from birth, backed by Article 7",
        "ASK { <region/410000/v1/rule/birth-registration-deadline> nkg:deadlineDuration [ time:numericDuration 1 ; time:unitType time:unitMonth ] ; cv:hasLegalResource ?a . ?a eli:number '7' ; eli:is_part_of <law/household-registration-regulations> }",
    ),
    (
        "who may declare: head of household, relatives, the person raising the child, neighbours",
        "ASK { { SELECT (COUNT(?r) AS ?n) WHERE { <region/410000/v1/rule/birth-registration-deadline> nkg:declarant ?r } } FILTER(?n = 4) <region/410000/v1/rule/birth-registration-deadline> nkg:declarant <role/head-of-household>, <role/relative>, <role/person-raising-the-child>, <role/neighbour> }",
    ),
    (
        "the birth is declared to the household registration authority (the police station)",
        "ASK { <region/410000/v1/rule/birth-registration-deadline> nkg:declareTo <region/410000/office/police-station> . <region/410000/office/police-station> skos:altLabel '户口登记机关'@zh }",
    ),
    (
        "an abandoned infant: the adopter or the infant-care institution declares, no deadline stated",
        "ASK { <region/410000/v1/rule/abandoned-infant-registration> nkg:declarant <role/adopter>, <role/infant-care-institution> ; cv:hasLegalResource <law/household-registration-regulations/article/7> FILTER NOT EXISTS { <region/410000/v1/rule/abandoned-infant-registration> nkg:deadlineDuration ?d } }",
    ),
    (
        "Article 23 of the Social Insurance Law is cited, with its text in zh and en",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card> cv:hasLegalResource ?a . ?a eli:number '23' ; eli:is_part_of <law/social-insurance-law> ; schema:text ?zh, ?en FILTER(lang(?zh) = 'zh' && STRSTARTS(?zh, '职工应当参加职工基本医疗保险') && lang(?en) = 'en' && STRSTARTS(?en, 'Employees should participate')) }",
    ),
    (
        "Article 23 is about employees' insurance: the mismatch is noted",
        "ASK { <law/social-insurance-law/article/23> skos:editorialNote ?n FILTER(CONTAINS(?n, 'Article 25')) }",
    ),
    (
        "Article 7's text is held in zh and en",
        "ASK { <law/household-registration-regulations/article/7> schema:text ?zh, ?en FILTER(lang(?zh) = 'zh' && STRSTARTS(?zh, '婴儿出生后一个月以内') && lang(?en) = 'en' && CONTAINS(?en, 'Within one month')) }",
    ),
    (
        "the regulations' mistranslated title is noted",
        "ASK { <law/household-registration-regulations> dct:title '中华人民共和国户口登记条例'@zh ; skos:editorialNote ?n FILTER(CONTAINS(?n, 'Municipality')) }",
    ),
    (
        "the laws carry their verified dates",
        "ASK { <law/social-insurance-law> eli:date_document '2010-10-28'^^xsd:date ; eli:first_date_entry_in_force '2011-07-01'^^xsd:date . <law/household-registration-regulations> eli:date_document '1958-01-09'^^xsd:date }",
    ),  # ---- modelling for other graphs (issue #10)
    (
        "steps 1 and 2 are public services of their own authorities, which the card service requires",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card> dct:requires ?bc, ?br . ?bc a cpsv:PublicService ; cv:hasCompetentAuthority <region/410000/office/hospital> ; cpsv:produces <document/medical-birth-certificate> . ?br a cpsv:PublicService ; cv:hasCompetentAuthority <region/410000/office/police-station> ; cv:hasLegalResource <law/household-registration-regulations/article/7> . <region/410000/v1/service/newborn-medical-insurance-card/step/1> nkg:usesService ?bc . <region/410000/v1/service/newborn-medical-insurance-card/step/2> nkg:usesService ?br }",
    ),
    (
        "the activation channels belong to the activation service; the card is applied for in person",
        "ASK { ?a a cpsv:PublicService ; dct:requires <region/410000/v1/service/newborn-medical-insurance-card> ; cv:hasChannel ?c1, ?c2, ?c3 . ?c1 nkg:position 1 . ?c2 nkg:position 2 . ?c3 nkg:position 3 . <region/410000/v1/service/newborn-medical-insurance-card> cv:hasChannel ?p . ?p a cv:Channel ; cv:ownedBy <region/410000/office/community-social-security-office> FILTER NOT EXISTS { <region/410000/v1/service/newborn-medical-insurance-card> cv:hasChannel/a nkg:ActivationChannel } }",
    ),
    (
        "the one-month deadline is the declarant's time limit, not a processing time",
        "ASK { <region/410000/v1/rule/birth-registration-deadline> nkg:deadlineDuration ?d . ?d <http://www.w3.org/2006/time#numericDuration> 1 ; <http://www.w3.org/2006/time#unitType> <http://www.w3.org/2006/time#unitMonth> FILTER NOT EXISTS { nkg:deadline rdfs:subPropertyOf cv:processingTime } FILTER NOT EXISTS { ?x cv:processingTime ?y } }",
    ),
    (
        "the Chinese original asks for one photo, at the office it names 街道或社区劳动保障所",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities/requirement/one-inch-photo> nkg:quantity 1 ; prov:wasDerivedFrom ?cn . ?cn nkg:quote ?q FILTER(CONTAINS(?q, '一张')) . <region/410000/office/community-social-security-office> rdfs:label '街道或社区劳动保障所'@zh }",
    ),
    (
        "ambiguity A keeps the literal reading and records the birth permit as the most plausible one",
        "ASK { <region/410000/v1/service/newborn-medical-insurance-card/step/1/requirement/medical-birth-certificate> nkg:document <document/medical-birth-certificate> ; nkg:plausibleDocument ?permit ; nkg:literalReading ?l ; nkg:plausibleReading ?r . ?permit skos:altLabel '准生证'@zh ; prov:wasDerivedFrom ?guide . ?guide schema:url ?u FILTER(CONTAINS(STR(?u), 'anhui.3158.cn')) }",
    ),
    (
        "the source is dated as undated and most likely before 2019, with its address",
        "ASK { <source/henan-newborn-medical-insurance-card> schema:url <http://isslerlaw.com/socialsecurityinquiry/tuorokqqrj.html> ; nkg:likelyBefore '2019'^^xsd:gYear ; nkg:retrievedOnOrBefore ?d ; nkg:datingNote ?n FILTER(lang(?n) = 'en' && CONTAINS(?n, 'before 2019')) }",
    ),
    (
        "every service states its fee, even where the source is silent",
        "ASK { FILTER NOT EXISTS { ?s a cpsv:PublicService FILTER NOT EXISTS { ?s nkg:fee ?f } } <region/410000/v1/service/newborn-medical-insurance-card> nkg:fee 'not stated by the source'@en }",
    ),
    (
        "each office is of a kind of office shared nationally",
        "ASK { FILTER NOT EXISTS { ?o a nkg:Office FILTER NOT EXISTS { ?o dct:type ?k . ?k skos:inScheme <scheme/office-kinds> } } }",
    ),
    (
        "misspellings and loose names are hidden labels only",
        "ASK { <document/household-registration-book> skos:hiddenLabel '户口薄'@zh . <region/410000/office/postal-savings-bank> skos:hiddenLabel '邮政'@zh FILTER NOT EXISTS { ?x skos:altLabel ?l FILTER(?l IN ('户口薄'@zh, '出生纸'@zh, 'dependents'@en, '邮政'@zh, '户籍科'@zh, '户主页'@zh, '社区服务中心'@zh)) } }",
    ),
]


@pytest.mark.parametrize("statement, ask", FACTS, ids=[f[0] for f in FACTS])
def test_fact(store, statement, ask):
    result = store.query(PREFIXES + ask)
    assert result.kind == "ASK" and result.boolean, statement


def test_at_least_forty_fact_checks():
    assert len(FACTS) >= 40
