"""Screenshots of the main pages at 1366×768 and 2560×1440 into docs/screenshots/ (issue 14).

    .venv/bin/python scripts/screenshots.py [--browser /usr/bin/chromium] [--out docs/screenshots]

What a newcomer sees after ``make run``: a fresh database in a temporary folder, the sample
registry, gazette and demonstration history (``shuzheng loadsample``), the production server
(``shuzheng serve``: gunicorn, DEBUG off, static files collected) and the system Chromium
driven by Playwright, signed in as the demo administrator, in Chinese. Each page is shot at
both sizes as the window shows it (no full-page shots), and docs/screenshots.md indexes them.

Chinese text needs a Chinese font in the browser: a machine without one (a bare CI image)
would show boxes. The script points Chromium's fontconfig at Noto Sans SC from the
``pylopdf-fonts-zh-cn`` package that the PDF exports already use, beside the system fonts,
so the shots look the same everywhere. PNGs are reduced to a 256-colour palette (Pillow) to
stay small (each well under 400 KB).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1366, 768), (2560, 1440))
PASSWORD = "Screenshots-2031!"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shuzheng(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "shuzheng", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def prepare(env: dict) -> dict:
    """Migrate, load the sample, give the demo administrator a known password; the paths of
    the pages to shoot."""
    shuzheng(env, "migrate", "-v0")
    shuzheng(env, "loadsample")
    shuzheng(env, "collectstatic", "--noinput", "-v0")
    code = f"""
import json
from shuzheng.accounts.models import User
from shuzheng.documents.models import Document
from shuzheng.tasks.models import KeyTask
admin = User.objects.get(username="admin")
admin.set_password({PASSWORD!r})
admin.must_change_password = False
admin.save()
document = Document.objects.order_by("id").first()
task = KeyTask.objects.filter(form="table").order_by("id").first() or KeyTask.objects.first()
print(json.dumps({{"document": document.pk, "task": task.pk}}))
"""
    import json

    output = shuzheng(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]
    ids = json.loads(output)
    return {
        "home": ("/", "首页"),
        "search": ("/search/?q=数据共享", "一库通查（搜索结果）"),
        "document": (f"/documents/{ids['document']}/", "公文页面"),
        "ledger": ("/tasks/", "重点任务台账（一本账）"),
        "task": (f"/tasks/{ids['task']}/", "重点任务页面"),
        "dashboard": ("/dashboard/", "驾驶舱"),
        "portal": ("/data/", "公共数据开放门户"),
        "hotline": ("/hotline/", "12345热线"),
        "verify": ("/trust/verify/", "验证印章与证照"),
        "ecocomp": ("/ecocomp/", "生态保护补偿"),
    }


def serve(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "shuzheng", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise SystemExit("shuzheng serve exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if time.monotonic() > deadline:
                stop(process)
                raise SystemExit(f"nothing served after {START_SECONDS} s") from None
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    """Stop serve and its children (gunicorn, the worker): they share its process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fontconfig(folder: Path) -> Path:
    """A fontconfig file with the system fonts and the packaged Noto Sans SC."""
    import pylopdf_fonts_zh_cn

    font_dir = Path(pylopdf_fonts_zh_cn.sans_path()).parent
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_dir}</dir>\n"
        f"  <cachedir>{folder / 'fontcache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def shoot(base: str, pages: dict, out: Path, browser_path: str, font_config: Path) -> list:
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            env={**os.environ, "FONTCONFIG_FILE": str(font_config)},
        )
        for width, height in SIZES:
            context = browser.new_context(
                base_url=base, viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("用户名").fill("admin")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_load_state("networkidle")
            for name, (path, _title) in pages.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width}x{height}.png"
                page.screenshot(path=str(target))
                shrink(target)
                shots.append((name, width, height, target))
            context.close()
        browser.close()
    return shots


def write_index(pages: dict, shots: list, out: Path) -> Path:
    index = out.parent / "screenshots.md"
    lines = [
        "# Screenshots",
        "",
        "Made by `scripts/screenshots.py` (a fresh `shuzheng loadsample` with the demonstration",
        "history, the production server, Chromium at 1366×768 and 2560×1440, signed in as the demo",
        "administrator, Chinese interface). Remake them with",
        "`.venv/bin/python scripts/screenshots.py` after changing a page.",
        "",
    ]
    for name, (path, title) in pages.items():
        lines += [f"## {title} (`{path}`)", ""]
        for shot_name, width, height, target in shots:
            if shot_name == name:
                size = target.stat().st_size // 1024
                lines.append(f"![{title} {width}×{height}](screenshots/{target.name}) ")
                lines.append(f"{width}×{height}, {size} KB")
                lines.append("")
    index.write_text("\n".join(lines), encoding="utf-8")
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--browser", default=os.environ.get("SHUZHENG_BROWSER", "/usr/bin/chromium")
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuzheng-screenshots-") as folder:
        folder = Path(folder)
        env = {key: value for key, value in os.environ.items() if not key.startswith("SHUZHENG_")}
        env |= {
            "SHUZHENG_VAR_DIR": str(folder / "var"),
            "SHUZHENG_DATABASE_URL": f"sqlite:///{folder / 'screenshots.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
        }
        pages = prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            shots = shoot(
                f"http://127.0.0.1:{port}", pages, out, options.browser, fontconfig(folder)
            )
        finally:
            stop(server)
    index = write_index(pages, shots, out)
    for _name, width, height, target in shots:
        print(f"{target.relative_to(ROOT)}  {width}×{height}  {target.stat().st_size // 1024} KB")
    print(f"index: {index.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
