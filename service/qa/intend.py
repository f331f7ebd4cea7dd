"""Step 3 of the question path: which canned query a question asks (its intent).

An out-of-scope topic (`vocabulary.Vocabulary`) is refused first, on purpose. Entities are found
by `link.Linker` and parameters filled by `bind.fill`. Each canned query is scored by its header
keywords (outside the names of things), its cues, and the similarity of the question to its
header examples, summary, description and frames, with entity mentions masked by their class so
that they act as patterns. A query is a candidate only when its required parameters can be
filled from the mentions. Nothing is answered without a domain anchor and enough score; a
question of several parts is understood part by part.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ..catalog import CannedQuery
from ..index import EntityIndex
from .bank import OUT, Labelled
from .bind import fill
from .classifier import Classifier
from .homophones import Homophones
from .link import EN_STOP, EN_TOKEN, NKG, Linker, Mention, stem
from .normalise import CJK, SEPARATOR, detect_lang, fold
from .score import Keywords, Patterns, features, zh_bigrams
from .semantic import NOWHERE, Near, Semantic
from .vocabulary import Vocabulary

CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# Office names weigh so much in the English sentence embedding that the nearest labelled
# questions are those naming the same office, whatever they ask; so English questions and bank
# alike say "the office" instead (measured: leave-one-set-out en 77.2 -> 78.3 %; masking other
# classes, or Chinese, did worse).
GENERIC = {"en": {"office": "the office"}, "zh": {}}
# Where a question asks two things: sentence ends, and connectors that start a second question.
PARTS = re.compile(
    r"[？?；;。！!]+|，(?=还有|另外|以及|然后|再)"
    r"|,? and (?:then |in |at |for )?(?=where|what|who|how|when|which)"
    r"|,\s*and (?=(?:does|do|is|are|can)\b)"
    # English in search-box style: "step 1 where + what to bring", "X: where to get, what to
    # bring", "where do i get it, then where next"
    r"|\s*\+\s*|[,:]\s*(?=(?:and |then |also )*(?:where|what|who|whose|how|when|which)\b)"
    # a second question run on without a mark ("where do i get X what do i do with it")
    r"|(?<=\w)\s+(?=(?:what|where|which|who|how|when)\s+(?:do|does|is|are|can|should|will|must)"
    r"\s+(?:i|we|you|it|they|the)\b)"
    # "step 4 location and documents"
    r"|\s+(?:and|&)\s+(?=(?:the |its |their )?(?:documents?|docs|papers|materials|offices?|location"
    r"|place|address|outputs?|results?|deadline|next step|prerequisites?|bring)\b)"
)
# Chinese clauses: after a comma, or a space between Chinese words ("社保所 在哪 带啥")
ZH_CLAUSE = re.compile(r"[，,、]|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# a Chinese clause that ends in a question of its own ("去哪办", "带啥"; not "哪一步")
ZH_ASKED = re.compile(
    r"(?:哪里|哪儿|在哪|去哪|哪|什么|啥|几|谁|吗|怎么|干嘛)(?:[办开领去拿呢来上落报弄][的得]?)?[啊呀呢吧嘞哩咧]?$"
)
# where a second Chinese question starts without a comma
ZH_SECOND = re.compile(
    r"(?<=.{2})(?:去哪|要带|带什么|带啥|需要带|得带|要拿|拿什么|拿啥|要准备|准备什么|准备啥|拿去|拿着去|用在|下一步|接下来|然后|接着|[开办上领落]完)"
)
STEP_AFTER = re.compile(r"\s*(?:的)?(?:那一?步|这一?步|那个步骤|step)")
STEP_BEFORE = re.compile(r"(?:the )?step (?:at|in) (?:the )?$")
SERVICE = "http://purl.org/vocab/cpsv#PublicService"
ORDER = 2  # "先去A还是先去B", two places named: the order of the steps
UNUSED = 0.5  # a query that leaves a named office or channel aside fits less well
AMBIGUOUS = 0.3  # a fill that needs a question back loses to a definite one
# a part that asks about the previous part's answer: "…, and where do I use it next?"
BACK_REFERENCE = re.compile(
    r"\b(?:it|them|they|those|these|that one)\b|它|它们|这个|那个|这些|那些|拿到的"
)
# a part after one that leads to another step asks about that step ("after the police station,
# what next? what do I bring?")
LEADS_ON = {"next-step", "previous-step", "document-source"}
# "it" in a part after the outputs of a step means those outputs ("what do I get at the police
# station and where do I use it?"); after other answers it means what the question named (hops
# after any list: leave-one-set-out en 72.8 -> 71.8 %)
LISTS = {"step-outputs"}
# Pointing words say nothing about the domain: an example that happens to contain one ("这个流程
# 现在还适用吗") must not make every question with 这个 look like domain vocabulary.
ZH_POINTING = re.compile(r"这个|那个|这些|那些|这样|那样|这种|那种")
# question words, and the A-not-A questions (有没有, 是不是, 能不能, 要不要)
EITHER = re.compile(r"还是|或者|\bor\b|\bvs\.?|\bversus\b")
# … unless the question asks about both ("bank vs bureau activation: what to bring for each")
BOTH = re.compile(r"区别|不同|分别|各自|各要|difference|differ|\beach\b|\bboth\b|compare")
# a question about activating the card: a bare "bank" is then where the card is activated
ACTIVATING = re.compile(
    r"激活|开通|启用|activat|jihuo|turn (?:it )?on|switch (?:it )?on|bank (?:card )?function"
    r"|open (?:the |my |our )?(?:baby's |new )?card"
)
QUESTION_WORD = re.compile(
    r"什么|哪|几|谁|吗|怎么|多久|多少|如何|是否|呢|啥|咋|怎样|干嘛|(.)[不没]\1"
)

NOT_ISSUED = "out of scope: not-issued"
EVIDENCE = "http://data.europa.eu/m8g/Evidence"
ELI_LAW = "http://data.europa.eu/eli/ontology#LegalResource"
ELI_PART = "http://data.europa.eu/eli/ontology#LegalResourceSubdivision"
# where the asker comes from: "after the hospital", "done at the police station", "医院开完"
ORIGIN_BEFORE = re.compile(
    r"\b(?:after|done at|finished at|done with|finished with|leaving)\s+(?:the\s+)?$"
)
ORIGIN_AFTER = re.compile(
    r"(?:那边|那里|这边|那步|那一步)?(?:已经)?(?:办完|开完|出来|弄完|之后|以后|完事|完了|办好|弄好|上好|开好)"
)
# ... unless the question asks whether the process gives it: then the answer is that it does
# not, and parents bring their own ("户口本是流程里办出来的还是要自己备着")
IN_PROCESS = re.compile(
    r"流程|过程中|办的时候|自己(?:备|带|准备)|自备|along the way|in the process|during the process"
    r"|(?:by|from) the process|myself|from home|(?:bring|have) my own|already (?:must )?have"
)
MIN_SCORE = 1.2
MIN_COVERAGE = 0.5
MIN_EVIDENCE = 0.45
# The nearest labelled questions (semantic.py): their vote adds to a query's score; a vote of
# NEAR_EVIDENCE is evidence enough to consider a query, and a question whose nearest labelled
# question is NEAR_ANCHOR close and votes NEAR_ANCHOR for one query is anchored in the domain
# although it names nothing (weights from leave-one-set-out runs over the development sets).
NEAR_WEIGHT = 3.0
NEAR_EVIDENCE = 0.3
NEAR_ANCHOR = 0.5
# refused when the nearest labelled questions are out-of-scope ones, this near and this agreed
NEAR_OUT = 0.7
NEAR_OUT_VOTE = 0.6
# The intent classifier (classifier.py): its probability for a query adds to the query's score,
# is evidence enough from INTENT_EVIDENCE on, and a question it gives INTENT_OUT or more of being
# one the source does not answer is refused (leave-one-set-out runs, docs/decisions.md §22).
INTENT_WEIGHT = 6.0
INTENT_EVIDENCE = 0.3
INTENT_OUT = 0.4
# a question the classifier gives this much to one query is anchored in the domain although it
# names nothing ("一共几步？")
INTENT_ANCHOR = 0.4


CLAUSE = re.compile(r"[^,，。；;!！?？.]+[,，。；;!！?？.]*")
SENTENCE = re.compile(r"[^;!?.]+[;!?.]*")
EN_WH = "what|whats|where|wheres|which|who|whom|whose|whos|how|hows|when|why"
EN_AUX = "can|could|do|does|did|is|are|should|must|may|will|would|shall|need|tell me|any"
EN_ASKING = re.compile(rf"\?|^\s*(?:{EN_WH}|{EN_AUX})\b")
# an English sentence that asks something; one that does not ("I am at the hospital now.") is
# the story around the next one
EN_QUESTION = re.compile(rf"\?|\b(?:{EN_WH})\b|^\s*(?:{EN_AUX})\b")
STORY_WORDS = 5  # shorter, it is a search-box part ("step 4 docs + which office")
# a clause before a question is its subject when either is this short (外地户口，怎么办？;
# my card is lost, what now?)
SHORT_CONTEXT = 8
# … and an English question this short asks about the sentence before it ("My card was lost
# before step 4. What do I do?")
SHORT_QUESTION = 5
PROGRESSIVE = re.compile(r"[在正].*呢")


# what is left of a part that only names something: articles, possessives, punctuation
BARE = re.compile(
    r"\b(?:the|a|an|my|our|your|its|this|that|about|for|of|at|in|on|or|and|vs|versus)\b|[\W_]"
)


def _between(text: str, mentions: list[Mention]) -> list[str]:
    """The text around the mentions."""
    cuts = [0] + [x for m in mentions for x in (m.start, m.end)] + [len(text)]
    return [text[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)]


def zh_clauses(piece: str) -> list[str]:
    """Chinese clauses: at commas and spaces, and where a second question starts after a first
    one without a comma ("第二步去哪办要带什么")."""
    out = []
    for clause in ZH_CLAUSE.split(piece):
        while True:  # "下一步干啥去哪办带啥": three questions
            for second in ZH_SECOND.finditer(clause):
                first, rest = clause[: second.start()], clause[second.start() :]
                if ZH_ASKED.search(first) and QUESTION_WORD.search(rest):
                    out.append(first)
                    clause = rest
                    break
            else:
                out.append(clause)
                break
    return out


def asks(clause: str) -> bool:
    """Whether a clause asks something (a question word or mark, an English question's start;
    not the 呢 of something going on: "我在派出所排队呢")."""
    words = {m.group() for m in QUESTION_WORD.finditer(clause)}
    return bool(
        (words and (words != {"呢"} or not PROGRESSIVE.search(clause)))
        or "?" in clause
        or "？" in clause
        or EN_ASKING.search(clause.strip())
    )


def asked(text: str, story: bool = True) -> str:
    """The clauses of a text that ask something, with the clause before each when the question
    is short (it asks about that clause: "卡丢了，怎么办？") or, with `story`, when that clause is
    short (the asker's situation: "外地户口，在哪办？"); the whole text when none asks.
    Out-of-scope topics are looked for here, not in the story around the question ('my husband
    works in another city; where do we register the baby?')."""
    # Chinese clauses; English sentences (an English clause before a comma is part of its
    # question: "my son is 10 years old, how do I enrol him")
    units = CLAUSE if CJK.search(text) else SENTENCE
    clauses = [c.strip() for c in units.findall(text)]
    asking = [asks(c) for c in clauses]
    if not any(asking):
        return text

    def short(clause: str) -> bool:
        if units is CLAUSE:
            return len(clause) <= SHORT_CONTEXT + 1  # and its comma
        return len(clause.split()) <= SHORT_QUESTION

    kept = [
        c
        for i, c in enumerate(clauses)
        if asking[i]
        or (
            i + 1 < len(clauses)
            and asking[i + 1]
            and (short(clauses[i + 1]) or (story and units is CLAUSE and short(c)))
        )
    ]
    return " ".join(kept)


# the baby's situation, not the asker's ("我在北京帮我妹问" is a helper's city; "孩子户口在外省"
# is the baby's)
BABY = re.compile(
    r"孩子|宝宝|宝贝|娃|婴|儿子|女儿|闺女|孙|新生儿|小孩|老大|老二|大宝|二宝|户口|户籍|出生|生的|生在|在.{0,4}生"
    r"|\b(?:baby|babies|child|children|son|daughter|kid|kids|newborn|born|hukou|household"
    r"|grandson|granddaughter|infant)\b"
)


def situated(text: str) -> str:
    """The clauses of a text that ask something or tell the baby's situation."""
    units = CLAUSE if CJK.search(text) else SENTENCE
    return " ".join(c for c in units.findall(text) if asks(c) or BABY.search(c))


@dataclass(frozen=True)
class Interpretation:
    """What the question was understood to ask, or why it was not."""

    lang: str
    understood: bool
    query: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.0
    clarify: tuple[tuple[str, str], ...] = ()
    reason: str = ""
    parts: tuple[Interpretation, ...] = ()
    text: str = ""  # a part's own words
    follows: bool = False  # a part that refers back to the previous part's answer ("it")


@dataclass(frozen=True)
class Candidate:
    """A query a question could ask, its parameters filled, and the evidence for it."""

    name: str
    filled: dict[str, list[str]]
    keywords: float  # weight of the query's header keywords found
    similar: float  # best similarity to its example patterns
    directness: float  # how directly its parameters were named (bind.fill)
    bonus: float  # the cues of intents.yaml
    near: float  # the vote of the nearest labelled questions
    unused: float  # offices and channels named that it leaves aside
    ambiguous: float  # 1 when a parameter has several values (a question back)
    intent: float = 0.0  # the intent classifier's probability for it

    @property
    def cued(self) -> float:
        return self.keywords + self.bonus

    @property
    def score(self) -> float:
        return (
            self.keywords
            + 3.0 * self.similar
            + self.directness
            + self.bonus
            + NEAR_WEIGHT * self.near
            + INTENT_WEIGHT * self.intent
            - UNUSED * self.unused
            - AMBIGUOUS * self.ambiguous  # a definite answer beats a question back
        )


@dataclass(frozen=True)
class Evidence:
    """What a question names and the queries it could ask, best first."""

    mentions: list[Mention]
    candidates: list[Candidate]
    near: Near
    coverage: float
    out: float = 0.0  # the intent classifier's probability that the source does not answer it
    sure: bool = False  # a cue settles it in scope whatever the classifier says


def header_examples(catalog: dict[str, CannedQuery]) -> list[tuple[str, str, str]]:
    """(text, language, query) of every query's header examples and summary: labelled questions
    beside the bank's."""
    return [
        (text, lang, name)
        for name, q in catalog.items()
        for lang in ("zh", "en")
        for text in (*q.examples[lang], q.summary[lang])
    ]


class Understanding:
    """The question matcher for one catalog over one entity index."""

    def __init__(
        self,
        catalog: dict[str, CannedQuery],
        index: EntityIndex,
        positions: dict[int, str],
        links: dict[str, set[str]] | None = None,
        finals: frozenset[str] = frozenset(),
        producers: frozenset[str] = frozenset(),
        bank: tuple[Labelled, ...] = (),
        embedded: bool = True,
        classifier: Classifier | None = None,
        makers: dict[str, set[str]] | None = None,
    ) -> None:
        self.catalog, self.index, self.positions = catalog, index, positions
        self.steps = frozenset(positions.values())
        self.links, self.finals, self.producers = links or {}, finals, producers
        self.makers = makers or {}
        self.services = frozenset(index.members_of((SERVICE,)))
        english = [
            t
            for q in catalog.values()
            for t in (*q.keywords["en"], *q.examples["en"], q.summary["en"])
        ]
        self.vocabulary = Vocabulary()
        english += self.vocabulary.english_words()
        self.linker = Linker(index, positions, english)
        self.classes = self._classes_by_member()
        self.zh_vocabulary = self._zh_vocabulary()
        self.homophones = Homophones(
            [
                *self.linker.names,
                *(fold(k) for q in catalog.values() for k in q.keywords["zh"]),
                *(fold(w) for w in self.vocabulary.phrases["zh"]),
            ]
        )
        # A query's summary and description say what it answers in plain words, so they are
        # patterns too, beside the example questions, the frames and the labelled questions.
        taught: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in bank:
            for name in item.queries:
                if name != OUT:
                    taught[(name, item.lang)].append(item.q)
        # a labelled question that asks several queries is one pattern of each: built once
        pattern = functools.cache(self._pattern)
        examples = {
            (name, lang): [
                pattern(fold(e), lang)
                for e in (
                    *q.examples[lang],
                    q.summary[lang],
                    q.description[lang],
                    *self.vocabulary.frames.get((name, lang), []),
                    *taught.get((name, lang), []),
                )
            ]
            for name, q in catalog.items()
            for lang in ("zh", "en")
        }
        self.patterns = {
            lang: Patterns({name: examples[(name, lang)] for name in catalog})
            for lang in ("zh", "en")
        }
        self.keywords = {
            lang: Keywords({name: q.keywords[lang] for name, q in catalog.items()})
            for lang in ("zh", "en")
        }
        # the nearest labelled questions compare the form of the question, not the things it
        # names: English office names become "the office" (GENERIC), in both bank and question
        taught_pairs = [(text, name) for text, _, name in header_examples(catalog)] + [
            (item.q, name) for item in bank for name in item.queries
        ]
        self.semantic = (
            Semantic.shared(tuple((self.generic(fold(t)), name) for t, name in taught_pairs))
            if embedded
            else None
        )
        self.classifier = classifier if embedded else None
        self.produced = index.members_of((NKG + "Output",))
        # the service whose channels activate the card
        self.activation = next(
            (
                s
                for s in sorted(self.services)
                if any(self._is(n, "ActivationChannel") for n in self.links.get(s, ()))
            ),
            "",
        )
        self.places = {NKG + "Office", NKG + "ActivationChannel"}
        self.things = self.places | {NKG + c for c in ("Document", "Output", "Step", "Rule")}

    def generic(self, text: str, mentions: list[Mention] | None = None) -> str:
        """The question with office names replaced by a plain word, in English."""
        lang = detect_lang(text)
        if mentions is None:
            mentions = self.linker.mentions(text, lang)
        out, last = [], 0
        for mention in mentions:
            token = self._token(mention)[1:]
            word = GENERIC[lang].get(token, text[mention.start : mention.end])
            out.append(text[last : mention.start] + word)
            last = mention.end
        return "".join(out) + text[last:]

    def _zh_vocabulary(self) -> set[str]:
        texts: list[str] = list(self.vocabulary.fillers["zh"])
        for q in self.catalog.values():
            texts += list(q.keywords["zh"]) + list(q.examples["zh"]) + [q.summary["zh"]]
        # names share their Chinese runs (a graph repeats 户口簿 in many names), so each run's
        # bigrams are taken once
        runs = set(CJK_RUN.findall(SEPARATOR.join(self.linker.names)))
        return {g for t in [*texts, *runs] for g in zh_bigrams(fold(t))}

    def _classes_by_member(self) -> dict[str, set[str]]:
        classes: dict[str, set[str]] = defaultdict(set)
        for cls, members in self.index.members.items():
            for iri in members:
                classes[iri].add(cls)
        return classes

    def _pattern(self, text: str, lang: str) -> Counter[str]:
        return features(self.masked(text, self.linker.mentions(text, lang)), lang)

    def masked(self, text: str, mentions: list[Mention]) -> str:
        """Replace each mention by a token of its class, so examples act as patterns."""
        out, last = [], 0
        for mention in mentions:
            out.append(text[last : mention.start] + f" {self._token(mention)} ")
            last = mention.end
        return "".join(out) + text[last:]

    def _token(self, mention: Mention) -> str:
        if mention.iris & (self.services | self.finals):
            return "§service"  # the card the whole service produces names the service
        ours = sorted(
            {c for i in mention.iris for c in self.classes.get(i, ()) if c.startswith(NKG)}
        )
        name = ours[0][len(NKG) :].lower() if ours else "thing"
        return f"§{name}"

    def _coverage(self, text: str, lang: str, mentions: list[Mention]) -> float:
        """Share of the question's content that the domain vocabulary knows."""
        rest = list(text)
        for m in mentions:
            rest[m.start : m.end] = [" "] * (m.end - m.start)
        remainder = "".join(rest)
        if lang == "zh":
            remainder = ZH_POINTING.sub(" ", remainder)
            known = self.zh_vocabulary
            grams = [g for g in features(remainder, "zh") if len(g) == 2]
            if not grams:
                return 1.0 if mentions else 0.0
            return sum(g in known for g in grams) / len(grams)
        words = [w for w in EN_TOKEN.findall(remainder) if w not in EN_STOP]
        if not words:
            return 1.0 if mentions else 0.0
        return sum(
            w in self.linker.vocabulary or stem(w) in self.linker.vocabulary for w in words
        ) / len(words)

    def understand(
        self, question: str, lang: str | None = None, avoid: frozenset[str] = frozenset()
    ) -> Interpretation:
        """Map a question onto canned queries and their parameters (one per part of a
        question that asks several things), or say why not; never onto the queries to
        `avoid`."""
        lang = lang or detect_lang(question)
        text = fold(question)
        outside = self._outside(text, lang)  # before typo correction can change its words
        if outside:
            return outside
        text = self.correct(text, lang)
        if lang == "zh":
            outside = self._outside(text, lang)
            if outside:
                return outside
        whole = self._understand(text, lang, avoid=avoid)
        segments = self._segments(text)
        # a topic the source does not cover refuses the whole question; a document the process
        # does not issue may be what the whole looks like while each part asks something else
        refused = whole.reason.startswith("out of scope") and whole.reason != NOT_ISSUED
        if len(segments) < 2 or refused:
            return whole
        parts: list[Interpretation] = []
        context = step = ""
        after_mentions: list[Mention] = []
        for segment in segments:
            mentions = [  # a checklist's name ("what to bring") is how a part asks, not what about
                m
                for m in self.linker.mentions(segment, lang)
                if not all(self._is(i, "Checklist") for i in m.iris)
            ]
            if mentions and not BARE.sub("", "".join(_between(segment, mentions))):
                # a part that only names something ("the second step, what do I get") is
                # what the next part asks about ("hospital or police station, what to bring")
                context = segment
                continue
            cued = self.vocabulary.cues_in(segment, lang, False)
            after = parts[-1] if parts else None
            about = (
                self._step_of(after, after_mentions, offices=True)
                if not mentions
                and after
                and cued
                and max(cued, key=cued.__getitem__) == "next-step"
                else None
            )
            part = None
            if about and after and "next-step" in self.catalog:
                # "… and where next?" after a part about a step: the step after that one
                part = Interpretation(lang, True, "next-step", {"step": about}, after.confidence)
            elif (
                not mentions
                and step
                and not ACTIVATING.search(segment)
                and max(cued.values(), default=0) > 0
            ):
                # a part that names nothing and asks what a step asks (where, what to bring)
                # is about the step the part before was about ("新生儿医保卡在哪领？要带什么")
                of_step = self._understand(f"{step} {segment}", lang, False, text)
                part = of_step if of_step.understood else None
            if part is None:
                part = self._understand(
                    segment if mentions else f"{context} {segment}", lang, False, text
                )
            if (
                not mentions
                and parts
                and parts[-1].query == "document-source"
                and cued["document-steps"] > 0
            ):
                # after where a document comes from, a part asking where it is used asks
                # about that document ("计生证明哪开？开完拿去干啥？"), not about its step
                document = self.mention_of(parts[-1].params["document"], lang)
                used = self._understand(
                    f"{document} {segment}", lang, False, text, frozenset({"document-source"})
                )
                part = used if used.understood else part
            follows = (
                bool(parts)
                and not mentions
                and (
                    parts[-1].query in LEADS_ON
                    or (bool(BACK_REFERENCE.search(segment)) and parts[-1].query in LISTS)
                )
                # where a document is used next is asked of the document, not its step
                and not (parts[-1].query == "document-source" and part.query == "document-steps")
            )
            if mentions:
                after_mentions = mentions
                # what the clause that asks names, not the story before it ("We have the
                # hukou done. What do I bring to the bank, what do I get there?")
                asking = [m for m in mentions if self._asking(segment, m)] or mentions
                context = " ".join(segment[m.start : m.end] for m in asking)
                about = self._step_of(part, mentions) if part.query not in LEADS_ON else None
                step = self.mention_of(about, lang) if about else ""
            parts.append(replace(part, text=segment, follows=follows))
        # a later part about a paper the process does not issue, in a question understood as
        # a whole, is not its own question ("身份证是谁的？孩子刚出生哪来的身份证")
        refusals = [
            p
            for n, p in enumerate(parts)
            if p.reason.startswith("out of scope")
            and (p.reason != NOT_ISSUED or not whole.understood or n == 0)
        ]
        if refusals:
            return refusals[0]
        kept = [p for p in parts if p.understood or p.follows]
        distinct = {(p.query, str(p.params)) for p in kept if p.understood}
        if not kept or not kept[0].understood or len(distinct) + sum(p.follows for p in kept) < 2:
            return whole
        first = kept[0]
        return Interpretation(
            lang, True, first.query, first.params, first.confidence, parts=tuple(kept)
        )

    def correct(self, text: str, lang: str) -> str:
        """A folded question with its typos corrected: English words by spelling, Chinese by
        sound."""
        return self.linker.correct(text) if lang == "en" else self.homophones.correct(text)

    def named(self, text: str, lang: str, mentions: list[Mention] | None = None) -> list[Mention]:
        """The things a question names, each meaning what the others around it point at."""
        if mentions is None:
            mentions = self.linker.mentions(text, lang)
        activating = bool(ACTIVATING.search(text))
        named = self._narrow([self._step_at(m, text) for m in mentions if m.iris])
        named = [self._office_for(m, activating) for m in named]
        if activating and any(self._is_channel(m) for m in named):
            # beside an activation way, an office where the card is activated is that way
            # ("bank activation vs social security center activation")
            named = [self._channel_at(m) for m in named]
        return named

    def _office_for(self, mention: Mention, activating: bool) -> Mention:
        """A word that names several offices ("bank", "医院") names the office of a step, or,
        in a question about activating the card, the office of an activation way."""
        if len(mention.iris) < 2 or not all(self._is(i, "Office") for i in mention.iris):
            return mention
        wanted = "ActivationChannel" if activating else "Step"
        preferred = frozenset(
            i for i in mention.iris if any(self._is(n, wanted) for n in self.links.get(i, ()))
        )
        return Mention(mention.start, mention.end, preferred) if preferred else mention

    def _is_channel(self, mention: Mention) -> bool:
        return any(self._is(i, "ActivationChannel") for i in mention.iris)

    def _channel_at(self, mention: Mention) -> Mention:
        """An office named for the one activation way it is linked to."""
        if self._is_channel(mention) or not all(self._is(i, "Office") for i in mention.iris):
            return mention
        ways = {
            n
            for i in mention.iris
            for n in self.links.get(i, ())
            if self._is(n, "ActivationChannel")
        }
        return Mention(mention.start, mention.end, frozenset(ways)) if len(ways) == 1 else mention

    def embedding(self, text: str, mentions: list[Mention]) -> Any:
        """The question's sentence embedding, office names made generic."""
        assert self.semantic is not None
        return self.semantic.encode(self.generic(text, mentions))

    def intent_input(self, text: str, mentions: list[Mention]) -> tuple[Any, str]:
        """What the intent classifier reads: the sentence embedding, the masked text."""
        return self.embedding(text, mentions), self.masked(text, mentions)

    @staticmethod
    def _segments(text: str) -> list[str]:
        """The questions in a text: sentences, and Chinese clauses that each ask something
        (a clause without a question word belongs to the next one)."""
        segments: list[str] = []
        pending = ""
        for piece in PARTS.split(text):
            for clause in zh_clauses(piece) if CJK.search(piece) else [piece]:
                clause = f"{pending}{clause}".strip(" ，,")
                chinese = CJK.search(clause)
                story = not EN_QUESTION.search(clause) and len(clause.split()) >= STORY_WORDS
                if QUESTION_WORD.search(clause) if chinese else not story:
                    if len(clause) > 1:
                        segments.append(clause)
                    pending = ""
                else:
                    pending = clause + ("，" if chinese else ". ")
        if pending.strip(" ，") and segments:
            segments[-1] += "，" + pending.strip(" ，")
        return segments

    def _outside(self, text: str, lang: str) -> Interpretation | None:
        """Not understood, on purpose, when the question asks about an out-of-scope topic."""
        # the asker's situation counts in a short clause before the question; other topics
        # only where asked ("我不想去银行排队，能直接去社保局激活吗" asks no queue time)
        topic = self.vocabulary.topic(asked(text, story=False), lang) or self.vocabulary.topic(
            asked(situated(text)), lang, situations=True
        )
        return Interpretation(lang, False, reason=f"out of scope: {topic}") if topic else None

    def refusal(self, meaning: Interpretation, lang: str) -> str:
        """The honest reply to an out-of-scope question, in `lang` ('' for other refusals)."""
        topic = meaning.reason.removeprefix("out of scope: ")
        if topic == meaning.reason:
            return ""
        label = self.index.label(meaning.params.get("document", ""), lang) or ""
        return self.vocabulary.reply(topic, lang, label)

    def _narrow(self, mentions: list[Mention]) -> list[Mention]:
        """A name of several things means the one named with it ('postal saving' + 'bank') or
        linked to another thing named with it ('the bank for step 3' is step 3's bank)."""
        out = []
        for m in mentions:
            others = {i for o in mentions if o is not m for i in o.iris}
            linked = (m.iris & others) or {i for i in m.iris if self.links.get(i, set()) & others}
            out.append(
                Mention(m.start, m.end, frozenset(linked)) if len(m.iris) > 1 and linked else m
            )
        return out

    def _resolve(
        self, mentions: list[Mention], filled: dict[str, list[str]], text: str
    ) -> dict[str, list[str]]:
        """Fewer values for a parameter filled with several: the service's own card is the goal
        of the question, not what it asks about ("is the marriage certificate needed for the
        baby's insurance card"); the things named where the question asks, not in its story;
        the activation service, for the card in a question about activating it."""
        out = {}
        for param, iris in filled.items():
            if len(iris) > 1 and set(iris) - self.finals:
                iris = [i for i in iris if i not in self.finals]
            owners = [m for m in mentions if m.iris & set(iris)]
            if len(iris) > 1 and len(owners) > 1:
                # the things named in the clauses that ask, not in the story around them ("I am
                # at the hospital now; what will the police station want?")
                asking = {i for m in owners if self._asking(text, m) for i in m.iris} & set(iris)
                if asking and asking != set(iris):
                    iris = [i for i in iris if i in asking]
                    owners = [m for m in owners if m.iris & asking]
            if ACTIVATING.search(text) and set(iris) & self.producers:
                # the service named through its card, in a question about activating the card,
                # is the activation service ("激活医保卡有法律依据吗")
                iris = [self.activation if i in self.producers else i for i in iris]
            out[param] = iris
        return out

    @staticmethod
    def _asking(text: str, mention: Mention) -> bool:
        """Whether the clause a mention is in asks something (English: its sentence)."""
        units = CLAUSE if CJK.search(text) else SENTENCE
        clause = next((u.group() for u in units.finditer(text) if u.end() > mention.start), "")
        return asks(clause)

    def _each(
        self, mentions: list[Mention], filled: dict[str, list[str]], text: str
    ) -> list[dict[str, str]]:
        """One set of parameters per thing named, when one parameter is filled by several
        things each named on its own, in the order they are named; [] otherwise."""
        several = [p for p, iris in filled.items() if len(iris) > 1]
        if len(several) != 1:
            return []
        param = several[0]
        owners = [m for m in mentions if m.iris & set(filled[param])]
        if len(owners) < 2 or any(len(m.iris & set(filled[param])) != 1 for m in owners):
            return []
        if EITHER.search(text[owners[0].end : owners[-1].start]) and not BOTH.search(text):
            return []  # "A or B?" asks which, not about each
        values = list(dict.fromkeys(next(iter(m.iris & set(filled[param]))) for m in owners))
        if len(values) < 2:
            return []
        fixed = {p: iris[0] for p, iris in filled.items() if p != param}
        return [{**fixed, param: value} for value in values]

    def _places_and_steps(self, mentions: list[Mention]) -> set[frozenset[str]]:
        """The distinct places and steps named."""
        return {frozenset(m.iris) for m in mentions if m.iris & self.steps or self._place(m)}

    def _from(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """In a question about what comes next, the place the asker comes from ("after the
        hospital do I go straight to the police?", "医院开完证明是不是直接去派出所") is what it
        asks about; the other places named are guesses at the answer."""
        places = [m for m in mentions if self._place(m) or m.iris & self.steps]
        origins = [
            m
            for m in places
            if ORIGIN_BEFORE.search(text[: m.start]) or ORIGIN_AFTER.match(text, m.end)
        ]
        if len(places) < 2 or len(origins) != 1:
            return mentions
        return [m for m in mentions if m not in places or m is origins[0]]

    def _issuer(self, mentions: list[Mention]) -> list[Mention]:
        """In a question about where a document is used, the office named with it is where
        it comes from ("insurance card from PSBC, where do I take it next", "医院开的出生医学
        证明拿去哪用"), not what is asked about."""
        documents = [m for m in mentions if any(self._is(i, "Document") for i in m.iris)]
        if len(documents) != 1:
            return mentions
        return [m for m in mentions if not self._place(m)]

    def _step_of(
        self, part: Interpretation, mentions: list[Mention], offices: bool = False
    ) -> str | None:
        """The one step an understood part is about: its step, or the one step linked to what
        it names (an office, a service), or the last step for the service's own card. Unless
        `offices`, none for a part that names an office (the office is the better context for
        the next part: "社保所在哪，带啥")."""
        if not part.understood:
            return None
        if not offices and any(self._is(i, "Office") for m in mentions for i in m.iris):
            return None
        named = set(part.params.values()) or {i for m in mentions for i in m.iris}
        found = set()
        for iri in named:
            if iri in self.steps:
                found.add(iri)
            elif iri in self.finals or iri in self.producers:
                found.add(self.positions[max(self.positions)])
            elif not self._is(iri, "Document"):
                found |= self.links.get(iri, set()) & self.steps
        return next(iter(found)) if len(found) == 1 else None

    def _other_law(self, article: str, mentions: list[Mention]) -> bool:
        """Whether the question names a whole law, and not the one the article is part of."""
        laws = {
            i
            for m in mentions
            for i in m.iris
            if ELI_LAW in self.classes.get(i, set()) and ELI_PART not in self.classes.get(i, set())
        }
        return bool(laws) and not laws & self.links.get(article, set())

    def mention_of(self, iri: str, lang: str) -> str:
        """How a question names a thing: a step by its ordinal (its label says what is done
        where, which would read as a question of its own), anything else by its label."""
        ordinal = next((n for n, step in self.positions.items() if step == iri), None)
        if ordinal is not None:
            return f"第{ordinal}步" if lang == "zh" else f"step {ordinal}"
        return self.index.label(iri, lang) or ""

    def _is(self, iri: str, cls: str) -> bool:
        return NKG + cls in self.classes.get(iri, set())

    def _place(self, mention: Mention) -> bool:
        """Whether a mention names an office or an activation way."""
        return any(self.classes.get(i, set()) & self.places for i in mention.iris)

    def _unused(
        self, mentions: list[Mention], filled: dict[str, list[str]], activating: bool = False
    ) -> float:
        """How much a query leaves aside of the offices and channels named ('activate at the
        hospital' is not the general activation question): an office counts 1, an activation
        channel, the most specific thing a question names, 2, and so does an office where the
        card is activated, named in a question about activating; steps and documents are often
        just context."""
        used = {i for iris in filled.values() for i in iris}
        named = {i for m in mentions for i in m.iris}
        through_links = used - named  # filled by link from a named thing, which is thus used
        return sum(
            2.0
            if any(self._is(i, "ActivationChannel") for i in m.iris)
            or (
                activating
                and any(
                    self._is(n, "ActivationChannel") for i in m.iris for n in self.links.get(i, ())
                )
            )
            else 1.0
            for m in mentions
            if not m.iris & (used | self.finals)
            and not any(through_links & self.links.get(i, set()) for i in m.iris)
            and self._place(m)
        )

    def _step_at(self, mention: Mention, text: str) -> Mention:
        """'银行那一步', 'the step at the bank': an office named as a step means its step."""
        after = STEP_AFTER.match(text, mention.end)
        before = STEP_BEFORE.search(text[: mention.start])
        if not after and not before:
            return mention
        steps = {n for i in mention.iris for n in self.links.get(i, ()) if n in self.steps}
        if len(steps) != 1:
            return mention
        start = before.start() if before and not after else mention.start
        end = after.end() if after else mention.end
        return Mention(start, end, frozenset(steps))

    def evidence(self, text: str, lang: str) -> Evidence | Interpretation:
        """Every query the question could ask, with its parameters filled and the evidence for
        it; or, when the question names a step that does not exist, the interpretation that
        says so (out-of-scope topics are looked for in the whole question, by `understand`: a
        part can lose the words that say it is in scope, "… and when did it take effect?")."""
        mentions = self.linker.mentions(text, lang)
        missing = sorted({i for m in mentions for i in m.iris if i.startswith("missing-step:")})
        if missing:
            steps = [
                (iri, self.index.label(iri, lang) or iri)
                for _, iri in sorted(self.positions.items())
            ]
            return Interpretation(lang, False, clarify=tuple(steps), reason="no such step")
        mentions = self.named(text, lang, mentions)
        masked = self.masked(text, mentions)
        asked = features(masked, lang)
        service = any(m.iris & (self.services | self.finals) for m in mentions)
        bonus = self.vocabulary.cues_in(text, lang, service)
        if bonus["next-step"] > 0:
            mentions = self._from(text, mentions)
        if self.vocabulary.has("used", text, lang):
            mentions = self._issuer(mentions)
        if self.vocabulary.has("order", text, lang) and len(self._places_and_steps(mentions)) > 1:
            # which of two places or steps comes first: the order of the steps
            bonus["steps"] += ORDER

        similarities = self.patterns[lang].best(asked)
        # keywords count outside the names of things ('参保' in 参保卡 is the card's name), except
        # the service's own names, which are how parents say what they are asking about
        plain = self.masked(
            text,
            [
                m
                for m in mentions
                if not m.iris & (self.services | self.finals)
                and any(self.classes.get(i, set()) & self.things for i in m.iris)
            ],
        )
        found = self.keywords[lang].scores(plain)
        near, intent = NOWHERE, {}
        if self.semantic is not None:
            vector = self.embedding(text, mentions)
            near = self.semantic.near_to(vector)
            if self.classifier is not None:
                intent = self.classifier.probabilities(vector, masked, lang)
        activating = bool(ACTIVATING.search(text))
        candidates = []
        for name, query in self.catalog.items():
            fit = fill(
                query, mentions, self.classes, self.links, self.finals, self.producers, self.makers
            )
            if fit is None:
                continue
            filled, directness = fit
            keywords = found.get(name, 0.0)
            similar = similarities.get(name, 0.0)
            evident = keywords or bonus[name] or similar >= MIN_EVIDENCE
            chance = intent.get(name, 0.0)
            if not evident and near[name] < NEAR_EVIDENCE and chance < INTENT_EVIDENCE:
                continue  # naming an entity is not a question about it
            unused = self._unused(mentions, filled, activating)
            ambiguous = float(any(len(iris) > 1 for iris in filled.values()))
            candidates.append(
                Candidate(
                    name,
                    filled,
                    keywords,
                    similar,
                    directness,
                    bonus[name],
                    near[name],
                    unused,
                    ambiguous,
                    chance,
                )
            )
        candidates.sort(key=lambda c: -c.score)
        coverage = self._coverage(text, lang, mentions)
        sure = self.vocabulary.is_sure(text, lang, service)
        return Evidence(mentions, candidates, near, coverage, intent.get(OUT, 0.0), sure)

    def _understand(
        self,
        text: str,
        lang: str,
        whole: bool = True,
        whole_text: str = "",
        avoid: frozenset[str] = frozenset(),
    ) -> Interpretation:
        found = self.evidence(text, lang)
        if isinstance(found, Interpretation):
            return found
        scored = [c for c in found.candidates if c.name not in avoid]
        near = found.near
        # A named entity anchors the question in the domain; otherwise a content keyword or a
        # near-verbatim example must, and most of the question must be domain vocabulary, or
        # the nearest labelled questions must be near and agree.
        anchored = bool(scored) and (
            bool(found.mentions)
            or (found.coverage >= MIN_COVERAGE and (scored[0].cued > 0 or scored[0].similar >= 0.8))
            or (near.nearest >= NEAR_ANCHOR and near[scored[0].name] >= NEAR_ANCHOR)
            or scored[0].intent >= INTENT_ANCHOR
            or found.sure
        )
        if not scored or scored[0].score < MIN_SCORE or not anchored:
            return Interpretation(lang, False, reason="not understood")
        score, name = scored[0].score, scored[0].name
        filled = self._resolve(found.mentions, scored[0].filled, text)
        second = scored[1].score if len(scored) > 1 else 0.0
        ambiguous = {p: iris for p, iris in filled.items() if len(iris) > 1}
        share = score / (score + second)
        confidence = round(min(1.0, score / 4.0) * share * 2 * found.coverage, 3)
        # several things named for one parameter ("第1步和第2步分别在哪办"): one part each
        each = self._each(found.mentions, filled, text)
        if ambiguous and not each:
            options = [
                (i, self.index.label(i, lang) or i) for iris in ambiguous.values() for i in iris
            ]
            return Interpretation(
                lang, False, query=name, clarify=tuple(options), reason="ambiguous"
            )
        params = each[0] if each else {p: iris[0] for p, iris in filled.items()}
        if (
            name == "document-source"
            and params["document"] not in self.produced
            and not IN_PROCESS.search(whole_text or text)
        ):
            if any(params["document"] in m.iris and m.iris & self.steps for m in found.mentions):
                # a word for both the paper and a step ("hukou"): where to get it is the step
                return self._understand(text, lang, whole, whole_text, avoid | {name})
            # a document this process does not issue: say so, do not answer with another query
            return Interpretation(lang, False, params=params, reason=NOT_ISSUED)
        if name == "article-text" and self._other_law(params["article"], found.mentions):
            # "article 23 of the Maternal and Infant Health Care Law": not the article we have
            return Interpretation(lang, False, reason="out of scope: article-not-included")
        permits = [
            i
            for m in found.mentions
            for i in m.iris
            # a paper outside the process's documents (those reach document-source)
            if EVIDENCE in self.classes.get(i, set()) and not self._is(i, "Document")
        ]
        # (the recorded doubts are where the birth permit is discussed)
        about = permits and not params and name != "ambiguities"
        cues = self.vocabulary.cues_in(text, lang, False) if about else None
        if (
            cues
            and cues["document-source"] > 0  # asks where it comes from,
            and cues["document-steps"] <= 0  # not where it is used
            and not IN_PROCESS.search(whole_text or text)
        ):
            # where to get a paper the process neither issues nor asks for ("准生证去哪办"),
            # asked of a query that leaves it aside: not answered with that query
            return Interpretation(lang, False, params={"document": permits[0]}, reason=NOT_ISSUED)
        if found.sure and whole:
            # a cue settles it in scope, against the classifier; but not against a situation
            # the source does not cover, told in the story around it ("我户口在广东 …")
            topic = self.vocabulary.topic(situated(text), lang, situations=True)
            if topic:
                return Interpretation(lang, False, reason=f"out of scope: {topic}")
        if (near.nearest >= NEAR_OUT and near[OUT] >= NEAR_OUT_VOTE) or (
            whole and found.out >= INTENT_OUT and not found.sure
        ):
            # its nearest labelled questions, or the classifier (which learned whole questions,
            # not the fragments of one: "怎么弄"), say the source does not answer
            return Interpretation(lang, False, reason="out of scope: unlike-the-source")
        if each:
            parts = tuple(
                Interpretation(lang, True, *self._activated(name, p, text), min(1.0, confidence))
                for p in each
            )
            return replace(parts[0], parts=parts)
        return Interpretation(
            lang, True, *self._activated(name, params, text), min(1.0, confidence)
        )

    def _activated(
        self, name: str, params: dict[str, str], text: str
    ) -> tuple[str, dict[str, str]]:
        """What to bring to an office, asked about activating the card there, is what that
        activation way needs ("去社保局激活要带啥": the social security centre's window)."""
        if name != "office-documents" or not ACTIVATING.search(text):
            return name, params
        ways = [n for n in self.links.get(params["office"], ()) if self._is(n, "ActivationChannel")]
        if len(ways) != 1 or "channel-details" not in self.catalog:
            return name, params
        return "channel-details", {"channel": ways[0]}
