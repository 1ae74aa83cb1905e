"""Docstring examples run, and the type stubs cover the public API."""

import ast
import doctest
import pathlib

import csikit
import csikit._csikit

PKG = pathlib.Path(csikit.__file__).parent


def test_docstring_examples():
    import csikit.dask

    for module in (csikit, csikit.dask):
        result = doctest.testmod(module, extraglobs={"csikit": csikit}, verbose=False,
                                 optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
    assert doctest.testmod(csikit, extraglobs={"csikit": csikit}).attempted >= 8


def stub_names(name):
    tree = ast.parse((PKG / name).read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
    return names


def test_stubs_cover_the_api():
    assert set(csikit.__all__) <= stub_names("__init__.pyi")
    compiled = {n for n in dir(csikit._csikit) if not n.startswith("_")}
    assert compiled <= stub_names("_csikit.pyi")
    assert {"moments", "pls"} <= stub_names("dask.pyi")
    assert (PKG / "py.typed").exists()
