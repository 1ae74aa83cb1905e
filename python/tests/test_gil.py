"""Long computations release the GIL: a bootstrap (and other long jobs) runs
in one thread while another thread keeps executing Python."""

import threading
import time

import numpy as np

import csikit


def run_alongside_python(job):
    """Runs `job` in a thread while this thread executes pure-Python work;
    returns (result, seconds of the job, tick times of this thread)."""
    result = {}

    def work():
        t0 = time.perf_counter()
        result["out"] = job()
        result["seconds"] = time.perf_counter() - t0

    ticks = []
    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
        sum(range(2000))  # pure-Python work
    worker.join()
    return result["out"], result["seconds"], ticks


def test_bootstrap_releases_the_gil():
    # 2 000 resamples of 20 000 rows of the ECSI survey (24 indicators), with BCa
    # (one leave-one-out fit per row).
    df = csikit.simulate_survey(20_000, seed=3)
    fit = csikit.pls(df, csikit.ecsi_model())
    boot, seconds, ticks = run_alongside_python(lambda: fit.bootstrap(2000, seed=1))
    assert boot.resamples == 2000 and boot.failed == 0
    gaps = np.diff(ticks)
    # The main thread kept running during the bootstrap: many iterations, and
    # no stall close to the bootstrap's duration (it would stall for all of it
    # if the GIL were held).
    assert seconds > 0.05
    assert len(ticks) > 50, (len(ticks), seconds)
    assert gaps.max() < 0.5 * seconds, (gaps.max(), seconds)


def test_plspredict_mga_and_segments_release_the_gil():
    df = csikit.simulate_survey(20_000, seed=4)
    model = csikit.ecsi_model()
    fit = csikit.pls(df, model)
    for name, job in [
        ("predict", lambda: fit.predict(folds=10, repetitions=3)),
        ("mga", lambda: fit.mga("plan", permutations=199)),
        ("segments", lambda: csikit.csi_segments(df, model, "age_band", scale=(1, 10),
                                                 bootstrap=100)),
    ]:
        _, seconds, ticks = run_alongside_python(job)
        assert seconds > 0.02, name
        assert len(ticks) > 20, (name, len(ticks), seconds)
        assert np.diff(ticks).max() < 0.5 * seconds, (name, seconds)
