"""The turn engine and the page cache under real concurrency: `make soak`.

On PostgreSQL and Redis, on 127.0.0.1 only, for --seconds (60 by default):
1. two gunicorn instances (deploy/gunicorn.conf.py) on two free ports behind nginx, whose
   config is generated from deploy/nginx-site.conf (no TLS, a free local port, the
   micro-cache kept);
2. --writers writers (50) in --scenes round-robin scenes (10) post through the real login and
   posting forms with CSRF, a cookie jar each, while --readers anonymous readers read the
   chapters through nginx;
3. PostgreSQL is restarted once in the middle (`pg_ctlcluster 15 main restart`, or
   SOAK_PG_CLUSTER="VERSION NAME"; --no-restart leaves it alone).
Then it checks, prints, and exits 1 if any check fails: every accepted post is in the
database; no scene has a duplicate or a gap in its numbers; no turn was taken out of order;
5xx only while PostgreSQL was down (and a few seconds after); every refused writer was told
why in a 4xx; and no reader got a page older than a post accepted before their request began:
exactly, for pages the app served (its page cache is shared in Redis by both servers), and
within the micro-cache's seconds for a copy nginx kept.

DATABASE_URL must name a PostgreSQL database of the soak's own (it is emptied: `flush`) on a
server it may restart; REDIS_URL a Redis (or a local redis-server is started). Needs gunicorn
(requirements.txt), nginx and PostgreSQL's pg_ctlcluster (Debian), run as root for the restart.
"""

import argparse
import http.cookiejar
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MICRO_CACHE_SECONDS = 2  # deploy/nginx-site.conf: proxy_cache_valid 200 2s
# After PostgreSQL answers again, the connections the workers held are found dead on their
# next use (CONN_HEALTH_CHECKS) and reopened: allow a little for that.
RECOVERY_SECONDS = 5
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEEN = re.compile(r'name="seen" value="(\d+)"')
REFUSAL = "your text is kept below"


@dataclass
class Result:
    kind: str  # login, scene, post, read
    start: float
    end: float
    status: int
    scene: int = 0
    number: int = 0  # the accepted post's number, or the highest a reader saw
    cache: str = ""  # nginx's micro-cache: HIT, MISS, BYPASS, EXPIRED
    page_cache: str = ""  # the app's page cache: "hit" or nothing
    clear: bool = True  # a refusal said why


@dataclass
class Run:
    results: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    down: tuple = ()  # (PostgreSQL stopping, answering again)

    def add(self, result):
        with self.lock:
            self.results.append(result)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--scenes", type=int, default=10)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--no-restart", action="store_true", help="leave PostgreSQL running")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("make soak needs DATABASE_URL=postgres://... (a database it may empty).")
    for tool in ("nginx", "pg_ctlcluster"):
        if not shutil.which(tool):
            sys.exit(f"make soak needs {tool} (apt-get install nginx postgresql).")
    with tempfile.TemporaryDirectory(prefix="rp-soak-") as folder:
        folder = Path(folder)
        # nginx's workers (and the postgres tools) must reach the temp folder.
        os.chmod(folder, 0o755)  # noqa: S103
        redis = _start_redis_if_needed(folder)
        try:
            failures = _soak(options, folder)
        finally:
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=10)
    sys.exit(1 if failures else 0)


def _soak(options, folder):
    env = _server_env()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rp_archive.settings"
    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("flush", "--noinput", env=env)
    _manage("collectstatic", "--noinput", "-v0", env=env)
    import django

    django.setup()
    scenes = _build(options.writers, options.scenes)
    ports = [_free_port(), _free_port()]
    servers = [_gunicorn(port, options.workers, env, folder) for port in ports]
    nginx = None
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for_port(port, process=server)
        nginx_port = _free_port()
        nginx = _nginx(folder, ports, nginx_port)
        _wait_for_port(nginx_port, process=nginx)
        run = _traffic(options, f"http://127.0.0.1:{nginx_port}", scenes)
    finally:
        for process in [nginx, *servers]:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    return _check(run, scenes, restarted=not options.no_restart)


def _server_env():
    return {
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "soak-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "dummy",  # e-mails are not what this measures
        "RP_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "SERVE_MEDIA": "false",
        "RP_RATE_POST": "100000/m",
        "RP_RATE_LOGIN_ADDRESS": "100000/m",
        "GUNICORN_ACCESS_LOG": "off",
        "GUNICORN_LOG_LEVEL": "warning",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
    }


def _manage(*args, env):
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True
    )


def _build(writers, scene_count):
    """``scene_count`` stories of one chapter and one round-robin scene, each with its share
    of the trusted writers (posts approved at once, so readers see each as it lands)."""
    from tests.factories import (
        PASSWORD,
        make_chapter,
        make_character,
        make_scene,
        make_story,
        make_user,
    )
    from threads.models import Scene

    scenes = []
    for n in range(scene_count):
        users = [make_user(f"soak{n}w{i}", is_trusted=True) for i in range(n, writers, scene_count)]
        characters = [make_character(user, name=f"Soak {user.username}") for user in users]
        story = make_story(owner=users[0], members=users[1:], title=f"Soak {n}")
        scene = make_scene(make_chapter(story), characters, turn_mode=Scene.TurnMode.ROUND_ROBIN)
        scenes.append(
            {
                "id": scene.pk,
                "url": scene.get_absolute_url(),
                "chapter": scene.chapter.get_absolute_url(),
                "writers": [
                    (u.username, PASSWORD, f"character-{c.pk}")
                    for u, c in zip(users, characters, strict=True)
                ],
                "order": [c.pk for c in characters],
            }
        )
    return scenes


def _traffic(options, base, scenes):
    run = Run()
    deadline = time.monotonic() + options.seconds
    threads = [
        threading.Thread(target=_writer, args=(run, base, scene, writer, deadline))
        for scene in scenes
        for writer in scene["writers"]
    ]
    threads += [
        threading.Thread(target=_reader, args=(run, base, scenes, deadline, n % 2))
        for n in range(options.readers)
    ]
    if not options.no_restart:
        threads.append(threading.Thread(target=_restart_postgres, args=(run, options.seconds)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


class _SecureOverHttp(http.cookiejar.DefaultCookiePolicy):
    """The site marks its cookies Secure (DEBUG off); the soak speaks plain HTTP to nginx on
    127.0.0.1, so its client sends them anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _client():
    jar = http.cookiejar.CookieJar(policy=_SecureOverHttp())
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _request(opener, url, data=None):
    """(status, body, headers); a refused connection or a timeout counts as a 599."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=30) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers
    except (OSError, urllib.error.URLError):
        return 599, "", {}


def _timed(run, kind, opener, url, data=None, scene=0):
    start = time.monotonic()
    status, body, headers = _request(opener, url, data)
    result = Result(kind, start, time.monotonic(), status, scene)
    run.add(result)
    return result, body, headers


def _writer(run, base, scene, writer, deadline):
    username, password, post_as = writer
    opener = _client()
    while time.monotonic() < deadline and not _login(run, opener, base, username, password):
        time.sleep(1)
    rng = random.Random(username)
    while time.monotonic() < deadline:
        page, body, _ = _timed(run, "scene", opener, base + scene["url"], scene=scene["id"])
        token, seen = CSRF.search(body), SEEN.search(body)
        if page.status != 200 or token is None:
            time.sleep(0.5)
            continue
        text = f"{username} writes a turn at {time.time():.3f}. " * rng.randint(1, 4)
        form = {"csrfmiddlewaretoken": token[1], "post_as": post_as, "body": text}
        form["seen"] = seen[1] if seen else ""
        result, body, headers = _timed(
            run, "post", opener, base + scene["url"] + "post/", form, scene=scene["id"]
        )
        if result.status == 302:
            query = urllib.parse.urlsplit(headers["Location"]).query
            result.number = int(urllib.parse.parse_qs(query)["post"][0])
        elif 400 <= result.status < 500:
            result.clear = REFUSAL in body
        time.sleep(rng.uniform(0.1, 0.6))


def _login(run, opener, base, username, password):
    page, body, _ = _timed(run, "login", opener, base + "/accounts/login/")
    token = CSRF.search(body)
    if page.status != 200 or token is None:
        return False
    form = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
    result, _, _ = _timed(run, "login", opener, base + "/accounts/login/", form)
    return result.status == 302


def _reader(run, base, scenes, deadline, cookie):
    """An anonymous reader. One with a cookie that is not a session's passes nginx's
    micro-cache and is served by the app's own page cache, shared by both servers."""
    opener = urllib.request.build_opener()
    if cookie:
        opener.addheaders.append(("Cookie", "soak-reader=1"))
    rng = random.Random()
    while time.monotonic() < deadline:
        scene = rng.choice(scenes)
        result, body, headers = _timed(run, "read", opener, base + scene["chapter"])
        result.scene = scene["id"]
        numbers = re.findall(rf'id="post-{scene["id"]}-(\d+)"', body)
        result.number = max(map(int, numbers), default=0)
        if headers:
            result.cache = headers.get("X-Micro-Cache", "")
            result.page_cache = headers.get("X-Page-Cache", "")
        time.sleep(rng.uniform(0, 0.2))


def _restart_postgres(run, seconds):
    """Once, in the middle: stop and start the cluster, and note when it answered again.
    Waits (up to a third of the run) for other databases on the server to go quiet."""
    version, name = os.environ.get("SOAK_PG_CLUSTER", "15 main").split()
    port = str(urllib.parse.urlsplit(os.environ["DATABASE_URL"]).port or 5432)
    time.sleep(seconds / 2)
    patience = time.monotonic() + seconds / 3
    while _others_busy() and time.monotonic() < patience:
        time.sleep(0.5)
    stopping = time.monotonic()
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)  # noqa: S603,S607
    ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]
    while subprocess.run(ready).returncode != 0:  # noqa: S603
        time.sleep(0.1)
    run.down = (stopping, time.monotonic())
    print(f"PostgreSQL restarted in {run.down[1] - run.down[0]:.1f} s")


def _others_busy():
    """Whether a query runs in another database on the server (another engineer's tests).
    Asked as the postgres user: others' sessions' states are hidden from an ordinary role."""
    ours = urllib.parse.urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname NOT IN ('postgres', :'ours') "
        "AND state = 'active' AND backend_type = 'client backend'"
    )
    command = ["su", "postgres", "-c", f"psql -At -v ours={shlex.quote(ours)}"]
    out = subprocess.run(  # noqa: S603
        command, cwd="/", input=query, capture_output=True, text=True
    )
    return out.returncode == 0 and out.stdout.strip() not in ("", "0")


def _check(run, scenes, restarted):
    from django.db import connection

    from threads.models import Post

    connection.close()  # opened before the restart
    failures = []
    posts = [r for r in run.results if r.kind == "post"]
    accepted = [r for r in posts if r.status == 302]
    rows = Post.objects.filter(scene_id__in=[s["id"] for s in scenes]).order_by("number")
    stored = {}
    for scene_id, number, character_id, published in rows.values_list(
        "scene_id", "number", "character_id", "published_at"
    ):
        stored.setdefault(scene_id, []).append((number, character_id, published))
    missing = [r for r in accepted if r.number not in {n for n, *_ in stored.get(r.scene, [])}]
    _verdict(
        failures, "every accepted post is in the database", not missing, f"{len(missing)} missing"
    )
    for scene in scenes:
        numbers = [n for n, *_ in stored.get(scene["id"], [])]
        if numbers != list(range(1, len(numbers) + 1)):
            failures.append(f"scene {scene['id']}: numbers {numbers}")
        order = scene["order"]
        expected = [order[i % len(order)] for i in range(len(numbers))]
        if [c for _, c, _ in stored.get(scene["id"], [])] != expected:
            failures.append(f"scene {scene['id']}: a turn out of order")
        if any(p is None for *_, p in stored.get(scene["id"], [])):
            failures.append(f"scene {scene['id']}: an approved post not published")
    _verdict(failures, "no duplicate, gap or turn out of order", not failures, "; ".join(failures))
    _check_errors(failures, run, restarted)
    refused = [r for r in posts if 400 <= r.status < 500]
    unclear = [r for r in refused if not r.clear]
    odd = [r for r in posts if r.status < 400 and r.status != 302]
    _verdict(
        failures,
        f"every refused writer was told why ({len(refused)} refusals)",
        not unclear and not odd,
        f"{len(unclear)} without the reason, {len(odd)} neither accepted nor refused",
    )
    _check_readers(failures, run, accepted)
    _summary(run, stored)
    return failures


def _check_errors(failures, run, restarted):
    errors = [r for r in run.results if r.status >= 500]
    if restarted and run.down:
        low, high = run.down[0] - 1, run.down[1] + RECOVERY_SECONDS
        outside = [r for r in errors if r.end < low or r.start > high]
        window = f" (PostgreSQL down {run.down[1] - run.down[0]:.1f} s)"
    else:
        outside, window = errors, ""
    _verdict(
        failures,
        f"5xx only while PostgreSQL was down: {len(errors)} in all{window}",
        not outside,
        f"{len(outside)} outside the restart",
    )


def _check_readers(failures, run, accepted):
    """A page must hold every post accepted before the request began; a copy nginx kept may
    be as old as its micro-cache allows."""
    reads = [r for r in run.results if r.kind == "read" and r.status == 200]
    stale = []
    for read in reads:
        kept = read.cache in {"HIT", "STALE", "UPDATING"}
        began = read.start - (MICRO_CACHE_SECONDS + 1 if kept else 0)
        due = [a.number for a in accepted if a.scene == read.scene and a.end < began]
        if read.number < max(due, default=0):
            stale.append(
                (f"scene {read.scene}", f"saw {read.number}", f"due {max(due)}", read.cache)
            )
    from_app = sum(r.cache not in {"HIT", "STALE", "UPDATING"} for r in reads)
    hits = sum(r.page_cache == "hit" for r in reads if r.cache not in {"HIT", "STALE", "UPDATING"})
    _verdict(
        failures,
        f"no reader got a page older than its request ({len(reads)} reads: "
        f"{len(reads) - from_app} from nginx's micro-cache, {from_app} from the app, "
        f"{hits} of them from its page cache, in memory or Redis)",
        not stale,
        f"{len(stale)} stale, e.g. {stale[:3]}",
    )


def _verdict(failures, what, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + ("" if ok else f": {detail}"))
    if not ok and detail not in failures:
        failures.append(detail)


def _summary(run, stored):
    by_kind = {}
    for r in run.results:
        by_kind.setdefault(r.kind, {}).setdefault(r.status, 0)
        by_kind[r.kind][r.status] += 1
    for kind, statuses in sorted(by_kind.items()):
        print(f"     {kind}: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    posts = sum(len(v) for v in stored.values())
    print(f"     {posts} posts in {len(stored)} scenes")


def _gunicorn(port, workers, env, folder):
    return subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "rp_archive.wsgi"],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        },
        stdout=(folder / f"gunicorn-{port}.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def nginx_config(folder, upstreams, port):
    """deploy/nginx-site.conf made local: no TLS and no port 80, a free port, two app
    servers, and its cache, logs and files in ``folder`` and this checkout."""
    site = (ROOT / "deploy" / "nginx-site.conf").read_text()
    site = re.sub(r"\nserver \{\n    listen 80;.*?\n\}\n", "\n", site, flags=re.S)
    replacements = {
        "upstreams": "".join(f"server 127.0.0.1:{p}; " for p in upstreams),
        "cache path": f"proxy_cache_path {folder}/cache levels=1:2 keys_zone=rp_micro:10m "
        "max_size=64m inactive=1m use_temp_path=off;",
        "listen": f"listen 127.0.0.1:{port};",
        "access log": "access_log off;",
        "error log": f"error_log {folder}/nginx-error.log;",
        "static": f"alias {ROOT}/staticfiles/;",
        "media": f"alias {ROOT}/media/;",
        "drop": "",
    }
    lines = []
    for line in site.splitlines():
        marker = re.search(r"# soak: (.+)$", line)
        if marker:
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + replacements[marker[1]] if replacements[marker[1]] else ""
        lines.append(line)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {name}_temp_path {folder}/{name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 2;\npid {folder}/nginx.pid;\nerror_log {folder}/nginx-error.log;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
        f"{temp}    access_log off;\n" + "\n".join(lines) + "\n}\n"
    )


def _nginx(folder, upstreams, port):
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, upstreams, port))
    subprocess.run(["nginx", "-t", "-q", "-c", str(config)], check=True)  # noqa: S603,S607
    command = ["nginx", "-c", str(config), "-g", "daemon off;"]
    return subprocess.Popen(command)  # noqa: S603,S607


def _start_redis_if_needed(folder):
    from tests.bench_servers import start_redis_if_needed as start

    return start(folder)


def _free_port():
    from tests.bench_servers import free_port as free

    return free()


def _wait_for_port(port, process=None):
    from tests.bench_servers import wait_for_port as wait

    wait(port, seconds=30, process=process)


if __name__ == "__main__":
    main(sys.argv[1:])
