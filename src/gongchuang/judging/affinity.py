"""Affinity between experts and works: character n-gram TF-IDF (NumPy / scipy.sparse).

Chinese has no spaces, so words cannot be split without a model; character
2- and 3-grams of each phrase capture "图像生成" ~ "生成式图像" well enough to
rank experts for a work. Texts are split on punctuation and white space first
so that n-grams never span two keywords.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

_SPLIT = re.compile(r"[\s,，;；、。.:：/|()（）\[\]【】“”\"'!?！？]+")


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """Character n-grams of each phrase of ``text`` (lower-cased); 1-char phrases are kept."""
    grams: list[str] = []
    for phrase in _SPLIT.split(text.lower()):
        if not phrase:
            continue
        if len(phrase) < min(sizes):
            grams.append(phrase)
            continue
        for n in sizes:
            grams.extend(phrase[i : i + n] for i in range(len(phrase) - n + 1))
    return grams


def tfidf(docs: list[str]) -> sp.csr_matrix:
    """Rows = documents, L2-normalised sublinear TF × smoothed IDF over char 2–3-grams."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for r, doc in enumerate(docs):
        for gram in char_ngrams(doc):
            cols.append(vocab.setdefault(gram, len(vocab)))
            rows.append(r)
    n_docs = len(docs)
    counts = sp.csr_matrix(
        (np.ones(len(cols)), (np.asarray(rows, np.int64), np.asarray(cols, np.int64))),
        shape=(n_docs, max(len(vocab), 1)),
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ counts)


def affinity_matrix(work_texts: list[str], expert_texts: list[str]) -> npt.NDArray[np.float64]:
    """Cosine similarity works × experts in [0, 1] (IDF fitted on both sides together)."""
    if not work_texts or not expert_texts:
        return np.zeros((len(work_texts), len(expert_texts)))
    vectors = tfidf(work_texts + expert_texts)
    works, experts = vectors[: len(work_texts)], vectors[len(work_texts) :]
    return np.clip((works @ experts.T).toarray(), 0.0, 1.0)
