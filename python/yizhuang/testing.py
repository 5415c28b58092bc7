"""yizhuang.testing.assert_close: a compiled model against its framework."""
# Part of Yizhuang.
import numpy as np

from ._model import CompiledModel, compile as _compile


def _reference(model, inputs):
    import torch
    if isinstance(model, torch.nn.Module):
        with torch.no_grad():
            out = model.eval()(*[torch.as_tensor(np.asarray(a)) for a in inputs])
        outs = out if isinstance(out, (tuple, list)) else (out,)
        return [o.detach().numpy() for o in outs]
    raise TypeError("give `reference=` (a callable or a list of arrays) for a "
                    f"{type(model).__name__}")


def assert_close(model, inputs, rtol=1e-4, atol=1e-5, reference=None,
                 compiled=None, **compile_options):
    """Compiles `model` (unless `compiled` is given), runs it on `inputs`,
    and checks every output against the reference: PyTorch's for a module,
    else `reference` (a callable taking the inputs, or the expected arrays).
    Raises AssertionError naming the output and the worst element."""
    inputs = [a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
              for a in (inputs if isinstance(inputs, (list, tuple)) else [inputs])]
    if compiled is None:
        if isinstance(model, CompiledModel):
            compiled = model
        else:
            import torch
            example = tuple(torch.as_tensor(a) for a in inputs)
            compiled = _compile(model, example_inputs=example, **compile_options)
    if reference is None:
        expected = _reference(model, inputs)
    elif callable(reference):
        expected = reference(*inputs)
        expected = list(expected) if isinstance(expected, (list, tuple)) else [expected]
    else:
        expected = list(reference)
    got = compiled.run(*inputs)
    if len(got) != len(expected):
        raise AssertionError(f"{len(got)} outputs, the reference has {len(expected)}")
    for spec, g, e in zip(compiled.outputs, got, expected):
        e = np.asarray(e)
        if g.shape != e.shape:
            raise AssertionError(f"output '{spec.name}': shape {g.shape}, "
                                 f"reference {e.shape}")
        err = np.abs(g.astype(np.float64) - e.astype(np.float64))
        bound = atol + rtol * np.abs(e.astype(np.float64))
        if not np.all(err <= bound):
            i = np.unravel_index(np.argmax(err - bound), err.shape)
            raise AssertionError(
                f"output '{spec.name}': {int(np.sum(err > bound))} of {err.size} "
                f"elements differ beyond rtol={rtol}, atol={atol}; worst at "
                f"{tuple(int(x) for x in i)}: {g[i]} vs {e[i]}")
    return got
