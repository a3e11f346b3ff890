"""Generative CV explainer: `python app.py` serves the app on http://127.0.0.1:7860 (offline, from pretrained/)."""
from explainer.runtime import memory

memory.limit_arenas()  # before torch and Gradio start their threads (see explainer/runtime/memory.py)
memory.no_mkl_thread_buffers()  # before torch loads MKL

from explainer.runtime import workers  # noqa: E402
from explainer.ui import build_demo, launch_options, worker_processes  # noqa: E402

demo = build_demo()

if __name__ == "__main__":
    memory.trim_every()
    workers.start(worker_processes(), preload=("explainer.lessons.lab.train",))  # the 2-D lab's trainings, off the GIL
    demo.launch(**launch_options())
