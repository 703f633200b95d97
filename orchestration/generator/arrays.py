"""Small Arrow helpers the generator's renderers share."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def concat_strings(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def strings(values: list[str] | tuple[str, ...]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def gather(values: pa.Array, index: np.ndarray) -> pa.Array:
    """values[index] as a plain string array, NULL where index < 0.

    Decoding a dictionary array sizes the output up front; `take` grows it, which costs several
    times more on the big columns (user_agent alone is ~120 bytes a row).
    """
    index = np.asarray(index)
    codes = pa.array(index.astype(np.int32, copy=False), mask=index < 0)
    return pa.DictionaryArray.from_arrays(codes, values).cast(values.type)
