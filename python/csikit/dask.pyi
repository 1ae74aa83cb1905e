from typing import Any, Optional, Union

from . import Model, Moments, PlsResult

def moments(
    ddf: Any, model: Union[str, Model], *, weights: Optional[str] = None,
    missing: str = "listwise", na: Any = None, split_every: int = 8, **compute_kwargs: Any,
) -> Moments: ...
def pls(
    ddf: Any, model: Union[str, Model], *, weights: Optional[str] = None,
    missing: str = "listwise", na: Any = None, split_every: int = 8,
    compute_kwargs: Optional[dict[str, Any]] = None, **settings: Any,
) -> PlsResult: ...
