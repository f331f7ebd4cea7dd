"""Labels in zh and en for the standard properties on pages (the graph labels only its own)."""

from __future__ import annotations

import re

from .index import EntityIndex
from .namespaces import PREFIXES

# Interface text for terms of standard vocabularies; the graph's own terms carry rdfs:label.
LABELS: dict[str, tuple[str, str]] = {
    "rdf:type": ("类型", "type"),
    "rdfs:label": ("名称", "name"),
    "rdfs:comment": ("注释", "comment"),
    "rdfs:seeAlso": ("另见", "see also"),
    "skos:prefLabel": ("名称", "name"),
    "skos:altLabel": ("别名", "other names"),
    "skos:editorialNote": ("编者说明", "editor's note"),
    "skos:note": ("说明", "note"),
    "skos:scopeNote": ("适用说明", "scope note"),
    "skos:historyNote": ("历史说明", "history note"),
    "skos:notation": ("代码", "code"),
    "skos:inScheme": ("所属分类", "in scheme"),
    "dct:title": ("标题", "title"),
    "dct:description": ("说明", "description"),
    "dct:identifier": ("标识符", "identifier"),
    "dct:source": ("来源", "source"),
    "dct:license": ("许可协议", "licence"),
    "dct:publisher": ("发布者", "publisher"),
    "dct:issued": ("发布日期", "issued"),
    "dct:modified": ("修改日期", "modified"),
    "dct:created": ("创建日期", "created"),
    "dct:date": ("日期", "date"),
    "dct:spatial": ("地区", "area"),
    "dct:language": ("语言", "language"),
    "dct:hasPart": ("包含", "has part"),
    "dct:isPartOf": ("属于", "part of"),
    "dct:bibliographicCitation": ("引用格式", "citation"),
    "prov:wasDerivedFrom": ("出处", "derived from"),
    "owl:sameAs": ("相同事物", "same as"),
    "cpsv:produces": ("产出", "produces"),
    "cpsv:hasInput": ("所需材料", "input"),
    "cpsv:follows": ("遵循的规则", "follows rule"),
    "cpsv:implements": ("实施的法律", "implements"),
    "cv:hasCompetentAuthority": ("主管机构", "competent authority"),
    "cv:isGroupedBy": ("所属人生事件", "life event"),
    "cv:hasChannel": ("渠道", "channel"),
    "cv:hasLegalResource": ("法律依据", "legal basis"),
    "cv:ownedBy": ("所属机构", "owned by"),
    "eli:title": ("标题", "title"),
    "eli:number": ("条号", "number"),
    "eli:is_part_of": ("所属法律", "part of"),
    "eli:has_part": ("条文", "has part"),
    "eli:passed_by": ("通过机关", "passed by"),
    "eli:date_document": ("通过日期", "date of the document"),
    "eli:first_date_entry_in_force": ("施行日期", "in force from"),
    "schema:text": ("条文", "text"),
    "foaf:page": ("网页", "page"),
    "void:triples": ("三元组数", "triples"),
    "void:entities": ("实体数", "entities"),
    "void:class": ("类", "class"),
    "void:classes": ("类的数目", "classes"),
    "void:classPartition": ("按类划分", "class partition"),
    "void:distinctSubjects": ("不同主语数", "distinct subjects"),
    "void:properties": ("属性数", "properties"),
    "void:sparqlEndpoint": ("SPARQL 端点", "SPARQL endpoint"),
    "void:dataDump": ("数据下载", "data dump"),
    "void:uriSpace": ("IRI 空间", "IRI space"),
    "void:vocabulary": ("使用的词表", "vocabulary"),
    "void:exampleResource": ("示例资源", "example resource"),
    "void:subset": ("子集", "subset"),
    "void:linkPredicate": ("链接属性", "link property"),
    "void:subjectsTarget": ("主语数据集", "subjects target"),
    "void:objectsTarget": ("宾语数据集", "objects target"),
    "dcat:distribution": ("下载格式", "distribution"),
    "dcat:downloadURL": ("下载地址", "download URL"),
    "dcat:mediaType": ("媒体类型", "media type"),
}


# Interface text for the result columns of the canned queries the ontology does not name.
COLUMNS: dict[str, tuple[str, str]] = {
    "about": ("所涉事物", "about"),
    "adopted": ("通过日期", "adopted"),
    "area": ("地区", "area"),
    "article": ("法律条文", "article"),
    "authority": ("主管机构", "competent authority"),
    "channel": ("激活方式", "activation channel"),
    "channels": ("激活方式数", "channels"),
    "for": ("用于", "for"),
    "handles": ("办理事项", "handles"),
    "in_checklist": ("所在清单", "in checklist"),
    "in_force": ("施行日期", "in force from"),
    "law": ("法律", "law"),
    "life_event": ("人生事件", "life event"),
    "needed_for": ("用于", "needed for"),
    "next": ("下一步", "next step"),
    "note": ("说明", "note"),
    "number": ("条号", "number"),
    "prerequisite": ("前提", "prerequisite"),
    "previous": ("上一步", "previous step"),
    "produced_by": ("产生于", "produced by"),
    "provides": ("提供", "provides"),
    "requested": ("要求", "requested"),
    "service": ("服务", "service"),
    "source": ("来源", "source"),
    "starts": ("起算", "starts at"),
    "steps": ("用到的步骤", "steps"),
    "summary": ("概述", "summary"),
    "text": ("条文", "text"),
    "what": ("办理内容", "what is done"),
}


def column_label(column: str, lang: str) -> str | None:
    """The interface label of a result column, if the table has one."""
    found = COLUMNS.get(column)
    return found[0 if lang == "zh" else 1] if found else None


def curie(iri: str) -> str:
    """'http://purl.org/dc/terms/title' → 'dct:title'; the IRI itself when no prefix fits."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def property_label(index: EntityIndex, iri: str, lang: str) -> str:
    """A property's label in `lang`: the graph's own, the table's, else its spaced-out name."""
    short = curie(iri)
    if short in LABELS:
        return LABELS[short][0 if lang == "zh" else 1]
    found = index.labels.get(iri, {}).get(lang)
    if found:
        return found
    local = re.split(r"[#/:]", short)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", local).lower()
