"""Слова страницы вокруг вкладок: заголовок, введение, названия вкладок, подвал (оригинал: en/app.py)."""

TITLE = "Генеративное компьютерное зрение своими руками"
INTRO = "**Генеративное CV своими руками**: живые модели PyTorch на цифрах MNIST"
LANGUAGE_HINT = "English: Настройки (внизу) → Язык"
FOOTER = ("Работает на **{device}** · PyTorch {torch} · Gradio {gradio} · "
          "модели загружаются из `pretrained/`, из интернета ничего не скачивается.")

# Short: the tab bar must hold them all (a long name pushes the last tabs into an overflow menu).
TAB_GAN = "GAN-сети"
TAB_AUTOENCODER = "Автоэнкодер и VAE"
TAB_FORWARD = "Прямая диффузия"
TAB_REVERSE = "Обратная диффузия"
TAB_FLOW = "Потоки"
TAB_COMPARE = "Сравнение"
PRESENTATION = "Режим презентации"
TAB_TOUR = "Экскурсия"
TAB_LAB = "Лаборатория 2-D"
