from typing import Any, Optional, Union

from . import Model, Moments, PlsResult, ReplicateMoments

def moments(
    ddf: Any, model: Union[str, Model], *, weights: Optional[str] = None,
    missing: str = "listwise", na: Any = None, split_every: int = 8, **compute_kwargs: Any,
) -> Moments: ...
def pls(
    ddf: Any, model: Union[str, Model], *, weights: Optional[str] = None,
    missing: str = "listwise", na: Any = None, split_every: int = 8,
    compute_kwargs: Optional[dict[str, Any]] = None, **settings: Any,
) -> PlsResult: ...
def group_moments(
    ddf: Any, model: Union[str, Model, None] = None, *, by: Any = (), names: Optional[Any] = None,
    weights: Optional[str] = None, missing: str = "listwise", na: Any = None,
    split_every: int = 8, **compute_kwargs: Any,
) -> dict[tuple[Any, ...], Moments]: ...
def replicate_moments(
    ddf: Any, model: Union[str, Model, None] = None, *, key: str, replicates: int = 200,
    seed: int = 1, by: Any = (), names: Optional[Any] = None, weights: Optional[str] = None,
    missing: str = "listwise", na: Any = None, split_every: int = 8, **compute_kwargs: Any,
) -> dict[tuple[Any, ...], ReplicateMoments]: ...
