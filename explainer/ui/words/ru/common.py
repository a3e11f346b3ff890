"""Общие слова всех вкладок: сообщения о неверном вводе и поле сида (английский оригинал: en/common.py).

FIELDS_RU переводит названия полей, которые обработчики передают валидаторам (английские подписи виджетов);
GRADIO_REFUSALS_RU переводит отказы самого Gradio, PHRASES — подписи, что приходят по-английски из предметных модулей.
"""
from explainer.runtime.seeding import MAX_SEED

INT_NEEDED = "«{name}»: нужно целое число от {lo} до {hi}."
INT_GOT = "«{name}»: нужно целое число от {lo} до {hi}, а пришло {got}."
INT_RANGE = "«{name}»: допустимы значения от {lo} до {hi}, а пришло {got}."
NUMBER_NEEDED = "«{name}»: нужно число от {lo} до {hi}."
NUMBER_GOT = "«{name}»: нужно число от {lo} до {hi}, а пришло {got}."
CHOICE = "«{name}»: выберите один из вариантов: {choices}."
RUN_FIRST_GIF = "Сначала запустите сэмплер: GIF собирается из законченного запуска."
INPUT_COUNT = "Этот вызов принимает входов: {needed}, в порядке из таблицы вызовов в описании проекта; пришло: {got}."
UNEXPECTED = "Что-то пошло не так ({kind}). Попробуйте ещё раз или измените настройки."
SEED_INFO = f"целое число от 0 до {MAX_SEED}"

# Названия полей такие же, как подписи виджетов в русской версии вкладок.
FIELDS_RU = {
    "Part": "Часть",
    "Iterations per Step": "Итераций за Шаг",
    "Learning rate": "Шаг обучения",
    "Pictures": "Картинок",
    "Solver steps": "Шагов решателя",
    "Hidden width": "Ширина скрытых слоёв",
    "Hidden layers": "Скрытых слоёв",
    "Training steps": "Шагов обучения",
    "Noise size": "Размер шума",
    "Discriminator steps": "Шагов дискриминатора",
    "Schedule steps T": "Шагов расписания T",
    "Batch": "Пакет",
    "Batch size": "Размер пакета",
    "Candidates": "Кандидатов за раунд",
    "Checkpoint": "Контрольная точка",
    "DDPM sampler": "Сэмплер DDPM",
    "Dataset": "Набор данных",
    "Field": "Поле",
    "Flow solver": "Решатель для потока",
    "Model": "Модель",
    "Particles": "Частиц",
    "Digit number": "Номер цифры",
    "First digit": "Первая цифра",
    "Frame": "Кадр",
    "Grid side": "Сторона сетки",
    "Guidance w": "Сила подсказки w",
    "Half-width": "Полуширина квадрата",
    "Judge's bar": "Планка судьи",
    "Noise level t": "Уровень шума t",
    "Number of images": "Сколько картинок",
    "Path": "Путь",
    "Pictures per model": "Картинок от модели",
    "Prompt": "Подсказка",
    "Rounds": "Раундов",
    "Sampler": "Сэмплер",
    "Schedule": "Расписание шума",
    "Second digit": "Вторая цифра",
    "Seed": "Сид",
    "Solver": "Решатель ОДУ",
    "Source": "Источник",
    "Steps": "Шагов",
    "Target MSE": "Целевая MSE",
    "Test digit number": "Номер тестовой цифры",
}

# Отказы самого Gradio (ползунки, числа, списки вариантов): он проверяет значения до наших обработчиков и пишет
# по-английски своими словами. Регулярное выражение по тексту Gradio -> русский шаблон с теми же группами.
# Отказы предметных модулей сюда не входят: у них есть ключи (words/ru/problems.py).
GRADIO_REFUSALS_RU = [
    (r"Value (.+) is greater than maximum value (.+)\.", "Значение {0} больше допустимого максимума {1}."),
    (r"Value (.+) is less than minimum value (.+)\.", "Значение {0} меньше допустимого минимума {1}."),
    (r"Value: (.+?)(?: \(type: .*\))? is not in the list of choices: (.*)", "Значения {0} нет среди вариантов: {1}."),
]

# Английские слова из предметных модулей, которые попадают на экран (вердикты судьи, имена моделей и
# расписаний, подписи графиков). Меняются целыми фразами, без учёта регистра не меняются.
PHRASES = {
    # судья и его гистограмма (plots.class_histogram)
    "not a digit": "не цифра",
    "What the judge sees": "Что видит судья",
    "judge's label": "метка судьи",
    "images": "картинок",
    # потери GAN (plots.gan_losses)
    "Losses (left) and D's average verdicts (right)": "Потери (слева) и средние ответы D (справа)",
    "loss D": "потеря D",
    "loss G": "потеря G",
    "BCE loss": "потеря BCE",
    "D output": "выход D",
    "epoch": "эпоха",
    "D(real)": "D(настоящие)",
    # подвал: устройство (runtime/device.device_label)
    "threads": "потоков",
    "step": "шаг",
    # латентные карты (lessons/autoencoder.TITLES, plots.latent_map)
    "Autoencoder": "Автоэнкодер",
    "digit": "цифра",
    # искажения с одинаковой MSE (maths/distortions.py) и таблица сжатия (lessons/autoencoder.compression_table)
    "original": "оригинал",
    "shift": "сдвиг",
    "blur": "размытие",
    "noise": "шум",
    "brightness": "яркость",
    "contrast": "контраст",
    "occlusion": "перекрытие",
    # расписания шума и графики прямого процесса (diffusion.KIND_LABELS, plots.noise_schedule, pixel_histogram)
    "linear β (DDPM)": "линейное β (DDPM)",
    "cosine (improved DDPM)": "косинусное (improved DDPM)",
    "straight path (flow matching)": "прямой путь (flow matching)",
    "signal a_t": "сигнал a_t",
    "noise s_t": "шум s_t",
    "log SNR (right)": "log SNR (справа)",
    "t (0 = picture, 1 = noise)": "t (0 — картинка, 1 — шум)",
    "coefficient": "коэффициент",
    "pixels of x_t": "пиксели x_t",
    "N(0, 1) density": "плотность N(0, 1)",
    "pixel value": "значение пикселя",
    "density": "плотность",
    "noise ε": "шум ε",
    "velocity ε − x₀": "скорость ε − x₀",
    # пути потока и DDIM (plots.sampler_paths, lessons/flow.compare_paths)
    "noise (0) → picture (1), along the straight line": "шум (0) → картинка (1), вдоль прямой",
    "off the straight line": "отклонение от прямой",
    "along": "вдоль",
    "off": "в сторону",
    "flow (euler)": "поток (Эйлер)",
    "flow (heun)": "поток (Хойн)",
    # сэмплеры, как их называют карточки моделей (вкладка сравнения, lessons/compare.card_fid)
    "DDIM, 50 steps, eta 1": "DDIM, 50 шагов, eta 1",
    "Euler, 10 steps": "Эйлер, 10 шагов",
    "Euler, 2 steps": "Эйлер, 2 шага",
    "Euler, 20 steps, in the latent; one decode": "Эйлер, 20 шагов в латенте; одно декодирование",
    # названия методов (2-D лаборатория называет свои модели и сэмплеры сама, через texts_lab_ru)
    "flow matching": "сопоставление потоков",
    "Euler": "Эйлер",
    "Heun": "Хойн",
    "This tab's VAE (MNIST)": "VAE этой вкладки (MNIST)",
    "This app's latent-diffusion VAE (MNIST)": "VAE латентной диффузии этого приложения (MNIST)",
    "Stable-Diffusion-class VAE, 512 px": "VAE уровня Stable Diffusion, 512 px",
    "Stable-Diffusion-class VAE, 1024 px": "VAE уровня Stable Diffusion, 1024 px",
}
HOW_IT_WORKS = "Как это устроено: идея словами и формулами"
