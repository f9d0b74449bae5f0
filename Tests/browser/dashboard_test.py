#!/usr/bin/env python3
"""Browser tests of `tandem dashboard`: headless chromium, driven by Selenium, against the API test server.

Starts `kube-test-server` (the executable beside TANDEM), deploys two applications with `tandem up`
(`web`, whose pods are held unready by the test server's `kube-test-server/unready` annotation, and
`gated`, whose workflow stops at a suspend step), starts `tandem dashboard --port 0 --allow-actions`
and checks, in a real browser and waiting only for DOM conditions:
  - list: both applications have a row, `web` is not healthy yet;
  - topology: `web`'s picture turns from not-ready to ready, without a reload, once the test
    server's pods become ready (the annotation removed through the API); so does its row in the
    list, open in another tab;
  - editor: a typo (`imagee`) shows an error at the line and column `tandem validate` reports,
    and it clears when fixed;
  - actions: resuming `gated`'s workflow with a wrong token is refused (the 403's reason in
    `action-result`; a direct POST without the token is 403 too), with the right token it goes on;
  - phone width and keyboard: at 375x800 the list does not scroll sideways, Tab reaches the first
    application's link and Enter opens it;
  - after each check, the browser's console has no errors (script errors, Content-Security-Policy
    violations; a 403 to a refused action aside).
With --screenshots DIR it also writes dashboard-topology.png and dashboard-editor.png (1280x800).

Without chromium, chromedriver or Selenium the run says it is skipped and passes, except in CI (`CI`
set), where it fails.

usage: dashboard_test.py TANDEM [--test-server PATH] [--only NAME,...] [--screenshots DIR]
"""
import argparse, json, os, queue, shutil, signal, subprocess, sys, tempfile, threading, time, traceback
import urllib.error, urllib.request

WAIT_SECONDS = 20
# The dashboard's 403 reason for an action without the right token.
REFUSED = "missing or wrong actions token"
WINDOW = (1280, 800)
PHONE = (375, 800)

WEB_APP = """\
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: web
spec:
  components:
    - name: frontend
      type: webservice
      properties:
        image: example/frontend:1.0
        ports:
          - {port: 8080, expose: true}
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
      traits:
        - type: sidecar
          properties:
            name: metrics
            image: example/metrics-exporter:1.4
        # The test server fails the readiness probe of pods annotated so, until the test removes it.
        - type: annotations
          properties:
            kube-test-server/unready: "true"
"""

GATED_APP = """\
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: gated
spec:
  components:
    - name: api
      type: webservice
      properties:
        image: example/api:2.1
  workflow:
    steps:
      - name: deploy-api
        type: deploy
      - name: approval
        type: suspend
        properties:
          message: resume from the dashboard
"""

EDITOR_APP = """\
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: edited
spec:
  components:
    - name: site
      type: webservice
      properties:
        {image_key}: nginx:1.27
        ports:
          - port: 80
"""


def missing_tools():
    """What the browser tests need and this machine lacks, as phrases."""
    missing = [name for name in ("chromium", "chromedriver") if not shutil.which(name)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (in this Python)")
    return missing


# ---- Processes ------------------------------------------------------------------------------------

class Process:
    """A child process whose stdout lines are read on a thread; stderr goes to a file."""

    def __init__(self, name, arguments, work):
        self.name = name
        self.stderr_path = os.path.join(work, name + ".stderr")
        self.stderr = open(self.stderr_path, "w")
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line(self, timeout=WAIT_SECONDS):
        """The next stdout line; fails when the process ends or says nothing in time."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.name} printed nothing within {timeout}s; stderr:\n{self.stderr_tail()}")
        if line is None:
            raise AssertionError(f"{self.name} exited ({self.process.wait()}) before printing; stderr:\n{self.stderr_tail()}")
        return line

    def stderr_tail(self, characters=3000):
        if not self.stderr.closed:
            self.stderr.flush()
        with open(self.stderr_path) as file:
            return file.read()[-characters:]

    def stop(self, signal_number=signal.SIGTERM):
        """Signals the process and returns its exit code (killed after a grace period)."""
        if self.process.poll() is None:
            self.process.send_signal(signal_number)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()
        return self.process.returncode


def run(arguments, **options):
    return subprocess.run(arguments, capture_output=True, text=True, timeout=120, **options)


class Cluster:
    """The API test server, reached over HTTP as the kubeconfig it wrote says."""

    def __init__(self, binary, work):
        self.kubeconfig = os.path.join(work, "kubeconfig")
        self.process = Process("kube-test-server", [binary, "--port", "0", "--kubeconfig-out", self.kubeconfig], work)
        first = self.process.line()
        assert first.startswith("listening on "), f"kube-test-server said {first!r}"
        self.url = first[len("listening on "):].rstrip("/")

    def request(self, method, path, body=None, content_type="application/json"):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
            return json.load(response)

    def pods(self, namespace="default"):
        return self.request("GET", f"/api/v1/namespaces/{namespace}/pods")["items"]

    def release_unready_pods(self, namespace="default"):
        """Removes the annotation that holds pods unready: the test server's kubelet lets them turn ready."""
        held = [pod for pod in self.pods(namespace)
                if (pod["metadata"].get("annotations") or {}).get("kube-test-server/unready") == "true"]
        assert held, "no pod carries kube-test-server/unready"
        for pod in held:
            self.request("PATCH", f"/api/v1/namespaces/{namespace}/pods/{pod['metadata']['name']}",
                         {"metadata": {"annotations": {"kube-test-server/unready": None}}}, "application/merge-patch+json")
        return [pod["metadata"]["name"] for pod in held]


class Dashboard:
    """`tandem dashboard --port 0 --allow-actions`, with the address and token it printed."""

    def __init__(self, tandem, kubeconfig, work):
        self.process = Process("tandem-dashboard", [tandem, "dashboard", "--port", "0", "--allow-actions",
                                                    "--kubeconfig", kubeconfig], work)
        first = self.process.line()
        prefix = "Dashboard at "
        assert first.startswith(prefix) and first.endswith("/"), f"the dashboard's first line is {first!r}"
        self.url = first[len(prefix):].rstrip("/")
        assert self.url.startswith("http://127.0.0.1:"), f"the dashboard does not bind loopback: {first!r}"
        second = self.process.line()
        assert second.startswith("Actions token: ") and len(second) > len("Actions token: "), \
            f"with --allow-actions the second line is {second!r}"
        self.token = second[len("Actions token: "):].strip()

    def post(self, path, headers=None, body=b""):
        """A POST straight to the server: (status, decoded JSON body or text)."""
        request = urllib.request.Request(self.url + path, data=body, method="POST", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


# ---- The browser ----------------------------------------------------------------------------------

def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    # The console's messages, to fail on script errors and Content-Security-Policy violations.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    set_viewport(driver, *WINDOW)
    return driver


def set_viewport(driver, width, height):
    """Makes the page's viewport (not the window) width x height, as a phone or a laptop shows it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def wait(driver, condition, message, seconds=WAIT_SECONDS):
    """Waits for condition(driver) to be truthy and returns it; fails with message and the page's state."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=[Exception]).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message} (waited {seconds}s at {driver.current_url})")


def css(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def nodes(driver, kind):
    """The topology's nodes of a kind: [(name, health, sidecar)], read in one go (the page redraws
    the picture on every change, so elements found one call earlier may be gone)."""
    return [tuple(node) for node in driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map((node) => [node.dataset.name, node.dataset.health, node.dataset.sidecar ?? null])",
        f'svg[data-testid="topology"] g[data-testid="node"][data-kind="{kind}"]')]


def visible(elements):
    return [element for element in elements if element.is_displayed()]


def console_errors(driver):
    """Fails on the errors the browser's console logged since the last call: script errors and
    Content-Security-Policy violations. A 403 answer to an action is expected, and logged."""
    errors = [entry["message"] for entry in driver.get_log("browser")
              if entry["level"] == "SEVERE" and "the server responded with a status of 403" not in entry["message"]]
    assert not errors, "the browser's console logged errors:\n  " + "\n  ".join(errors)


def mark_page(driver):
    """Puts a marker in the page's window: it survives DOM updates, not a reload or navigation."""
    driver.execute_script("window.__tandemNoReload = 'kept'")


def assert_not_reloaded(driver):
    assert driver.execute_script("return window.__tandemNoReload") == "kept", "the page was reloaded"


# ---- The checks -----------------------------------------------------------------------------------

class Checks:
    def __init__(self, tandem, cluster, dashboard, driver, screenshots):
        self.tandem = tandem
        self.cluster = cluster
        self.dashboard = dashboard
        self.driver = driver
        self.screenshots = screenshots

    def open(self, path):
        set_viewport(self.driver, *WINDOW)
        self.driver.get(self.dashboard.url + path)

    def row(self, name):
        rows = css(self.driver, f'[data-testid="app-row"][data-app="{name}"]')
        return rows[0] if rows else None

    def row_health(self, name):
        """The health word in an application's row, read in one go (the page refills rows on each change)."""
        return self.driver.execute_script(
            "const health = document.querySelector(arguments[0]); return health ? health.textContent.trim() : null",
            f'[data-testid="app-row"][data-app="{name}"] [data-testid="app-health"]')

    def check_list(self):
        """The list shows both deployed applications, with their namespace and health."""
        self.open("/")
        wait(self.driver, lambda d: self.row("web") and self.row("gated"), "rows for web and gated")
        assert self.row("web").get_attribute("data-namespace") == "default"
        wait(self.driver, lambda d: self.row_health("gated") == "healthy", "gated's health healthy in the list")
        health = wait(self.driver, lambda d: self.row_health("web"), "web's health in the list")
        assert health in ("progressing", "unhealthy"), f"web's pods are held unready, yet the list says {health!r}"
        # The list shows each application's workflow phase: gated's stopped at its suspend step.
        wait(self.driver, lambda d: "suspending" in self.row("gated").text, "gated's workflow phase (suspending) in the list")

    def check_topology_turns_ready(self):
        """web's topology shows unready pods, then ready ones once the test server lets them be, without a
        reload; the list, open in another tab, turns web healthy too."""
        self.open("/")
        wait(self.driver, lambda d: self.row_health("web") in ("progressing", "unhealthy"), "web not healthy in the list")
        mark_page(self.driver)
        list_tab = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        self.open("/app/default/web")
        wait(self.driver, lambda d: css(d, 'svg[data-testid="topology"]'), "the topology picture")
        wait(self.driver, lambda d: nodes(d, "pod") and all(h in ("progressing", "unhealthy") for _, h, _ in nodes(d, "pod")),
             "the held pods shown not ready (progressing or unhealthy)")
        names = {kind: [name for name, _, _ in nodes(self.driver, kind)]
                 for kind in ("application", "component", "workload", "pod", "container")}
        assert names["application"] == ["web"], names
        assert "frontend" in names["component"], names
        assert names["workload"], names
        application_health = nodes(self.driver, "application")[0][1]
        assert application_health != "healthy", f"web is healthy before its pods are ready: {application_health}"
        containers = {name: sidecar for name, _, sidecar in nodes(self.driver, "container")}
        assert containers.get("frontend") == "false" and containers.get("metrics") == "true", \
            f"containers and their sidecar marks: {containers}"

        mark_page(self.driver)
        released = self.cluster.release_unready_pods()
        wait(self.driver, lambda d: nodes(d, "application")[0][1] == "healthy"
             and nodes(d, "pod") and all(h == "healthy" for _, h, _ in nodes(d, "pod"))
             and all(h == "healthy" for _, h, _ in nodes(d, "container")),
             f"the topology healthy after the pods {released} turned ready")
        assert_not_reloaded(self.driver)
        if self.screenshots:
            self.save_screenshot("dashboard-topology.png")

        self.driver.close()
        self.driver.switch_to.window(list_tab)
        wait(self.driver, lambda d: self.row_health("web") == "healthy", "web healthy in the list, open since before")
        assert_not_reloaded(self.driver)

    def diagnostics(self):
        """The editor's diagnostics: [(line, column, text)], read in one go (each check refills the list)."""
        return [tuple(item) for item in self.driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-testid=\"diagnostic\"]'))"
            ".map((item) => [item.dataset.line, item.dataset.column, item.textContent])")]

    def type_application(self, text):
        from selenium.webdriver.common.keys import Keys
        editor = css(self.driver, 'textarea[data-testid="editor-input"]')[0]
        editor.send_keys(Keys.CONTROL, "a")
        editor.send_keys(Keys.DELETE)
        editor.send_keys(text)

    def check_editor(self):
        """A typo is located where `tandem validate` locates it, and the error clears when fixed."""
        typo = EDITOR_APP.format(image_key="imagee")
        path = os.path.join(os.path.dirname(self.cluster.kubeconfig), "edited.yaml")
        with open(path, "w") as file:
            file.write(typo)
        validate = run([self.tandem, "validate", "--diagnostics", "json", path])
        assert validate.returncode == 1, f"tandem validate accepted the typo: {validate.stdout}{validate.stderr}"
        errors = [d for d in json.loads(validate.stderr) if d["severity"] == "error"]
        expected = {(str(d["line"]), str(d["column"])) for d in errors}
        assert expected, validate.stderr

        self.open("/editor")
        wait(self.driver, lambda d: css(d, 'textarea[data-testid="editor-input"]'), "the editor's text area")
        self.type_application(typo)
        wait(self.driver, lambda d: self.diagnostics(), "a diagnostic for the typo")
        shown = self.diagnostics()
        assert {(line, column) for line, column, _ in shown} == expected, \
            f"the page locates {shown}, tandem validate {sorted(expected)}"
        assert any("imagee" in text for _, _, text in shown), f"the diagnostics do not name the typo: {shown}"
        assert not visible(css(self.driver, '[data-testid="diagnostics-ok"]')), "diagnostics-ok shown beside an error"
        if self.screenshots:
            self.save_screenshot("dashboard-editor.png")

        self.type_application(EDITOR_APP.format(image_key="image"))
        wait(self.driver, lambda d: not self.diagnostics() and visible(css(d, '[data-testid="diagnostics-ok"]')),
             "the diagnostics cleared after the fix")
        wait(self.driver, lambda d: "kind: Deployment" in css(d, '[data-testid="rendered"]')[0].text
             and "image: nginx:1.27" in css(d, '[data-testid="rendered"]')[0].text,
             "the rendered Deployment after the fix")

    def step_phase(self, name):
        steps = css(self.driver, f'[data-testid="workflow-step"][data-name="{name}"]')
        return steps[0].get_attribute("data-phase") if steps else None

    def action_result(self):
        results = css(self.driver, '[data-testid="action-result"]')
        return results[0].text if results and results[0].is_displayed() else ""

    def save_token(self, token):
        field = wait(self.driver, lambda d: visible(css(d, 'input[data-testid="token-input"]')), "the token prompt")[0]
        field.clear()
        field.send_keys(token)
        css(self.driver, '[data-testid="token-save"]')[0].click()

    def check_workflow_phase(self):
        """gated's page says its workflow is suspending (stopped at approval), as `tandem workflow status` does."""
        self.open("/app/default/gated")
        wait(self.driver, lambda d: self.step_phase("approval") == "suspending", "the approval step suspending")
        wait(self.driver, lambda d: css(d, '[data-testid="workflow-phase"]')[0].text == "suspending",
             "the workflow's phase suspending on gated's page")

    def check_actions_need_the_token(self):
        """Resume without the right token is refused, in the page and straight; with it the workflow goes on."""
        path = "/api/apps/default/gated/workflow/resume"
        status, body = self.dashboard.post(path)
        assert status == 403 and body == {"error": REFUSED}, (status, body)
        status, body = self.dashboard.post(path, {"X-Tandem-Token": "not-" + self.dashboard.token})
        assert status == 403 and body == {"error": REFUSED}, (status, body)

        self.open("/app/default/gated")
        self.driver.execute_script("sessionStorage.clear()")
        wait(self.driver, lambda d: self.step_phase("approval") == "suspending", "the approval step suspending")
        mark_page(self.driver)
        css(self.driver, '[data-testid="resume"]')[0].click()
        self.save_token("wrong-token")
        # The server's 403 reason, shown in the page.
        wait(self.driver, lambda d: REFUSED in self.action_result(), f"{REFUSED!r} in action-result for a wrong token")
        assert self.step_phase("approval") == "suspending", "the workflow went on without the token"
        # The page asks again once the server said 403; with the right token the resume goes through.
        self.save_token(self.dashboard.token)
        wait(self.driver, lambda d: not visible(css(d, 'input[data-testid="token-input"]')), "the token prompt closed")
        if REFUSED in self.action_result():
            css(self.driver, '[data-testid="resume"]')[0].click()  # the page keeps the token but did not retry by itself
        wait(self.driver, lambda d: self.step_phase("approval") == "succeeded", "the approval step succeeded after resume")
        result = self.action_result()
        assert result and REFUSED not in result and "403" not in result, f"action-result after the resume: {result!r}"
        assert_not_reloaded(self.driver)

    def check_phone_width_and_keyboard(self):
        """At 375x800 the list does not scroll sideways; Tab reaches the first application link, Enter opens it."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        self.driver.get("about:blank")
        set_viewport(self.driver, *PHONE)
        self.driver.get(self.dashboard.url + "/")
        wait(self.driver, lambda d: css(d, '[data-testid="app-row"] a[href]'), "application links in the list")
        widths = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]")
        assert widths[1] == PHONE[0], f"the viewport is {widths[1]} wide, not {PHONE[0]}"
        assert widths[0] <= widths[1], f"the list scrolls sideways at {PHONE[0]}px: scrollWidth {widths[0]}"

        first_link = css(self.driver, '[data-testid="app-row"] a[href]')[0]
        target = first_link.get_attribute("href")
        self.driver.execute_script("document.activeElement && document.activeElement.blur(); window.focus()")
        for _ in range(30):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            if self.driver.switch_to.active_element == first_link:
                break
        else:
            raise AssertionError("30 presses of Tab never reached the first application's link")
        outline = self.driver.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow]", first_link)
        assert outline[0] != "none" or outline[2] != "none", f"the focused link shows no focus: {outline}"
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        wait(self.driver, lambda d: d.current_url == target, f"Enter on the focused link opens {target}")
        wait(self.driver, lambda d: css(d, 'svg[data-testid="topology"]'), "the application's page after Enter")

    def save_screenshot(self, name):
        os.makedirs(self.screenshots, exist_ok=True)
        path = os.path.join(self.screenshots, name)
        self.driver.save_screenshot(path)
        print(f"    wrote {path} ({os.path.getsize(path) // 1024} KB)")


CHECKS = [
    ("list", Checks.check_list),
    ("topology", Checks.check_topology_turns_ready),
    ("editor", Checks.check_editor),
    ("workflow-phase", Checks.check_workflow_phase),
    ("actions", Checks.check_actions_need_the_token),
    ("phone-and-keyboard", Checks.check_phone_width_and_keyboard),
]


def deploy(tandem, kubeconfig, work, name, text, extra=()):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as file:
        file.write(text)
    result = run([tandem, "up", "--kubeconfig", kubeconfig, *extra, path])
    assert result.returncode == 0, f"tandem up {name}: exit {result.returncode}\n{result.stdout}{result.stderr}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tandem")
    parser.add_argument("--test-server", help="the kube-test-server executable (default: beside TANDEM)")
    parser.add_argument("--only", default="", help="comma-separated checks: " + ", ".join(name for name, _ in CHECKS))
    parser.add_argument("--screenshots", help="write dashboard-topology.png and dashboard-editor.png into this folder")
    arguments = parser.parse_args()
    tandem = os.path.abspath(arguments.tandem)
    test_server = arguments.test_server or os.path.join(os.path.dirname(tandem), "kube-test-server")
    only = set(filter(None, arguments.only.split(",")))
    unknown = only - {name for name, _ in CHECKS}
    if unknown:
        parser.error(f"unknown checks: {', '.join(sorted(unknown))}")

    missing = missing_tools()
    if missing:
        reason = "not installed: " + ", ".join(missing) + " (bash scripts/browser-setup.sh installs them)"
        if os.environ.get("CI"):
            print(f"FAILED: the browser tests cannot run in CI: {reason}")
            return 1
        print(f"browser tests SKIPPED: {reason}")
        return 0
    for binary in (tandem, test_server):
        if not os.access(binary, os.X_OK):
            print(f"FAILED: {binary} is not an executable (swift build first)")
            return 1

    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="tandem-browser-")
    cluster = dashboard = driver = None
    failures = []
    try:
        cluster = Cluster(test_server, work)
        # web's pods stay unready until the test releases them, so `up` does not wait for health.
        deploy(tandem, cluster.kubeconfig, work, "web", WEB_APP, ["--no-wait"])
        deploy(tandem, cluster.kubeconfig, work, "gated", GATED_APP)
        dashboard = Dashboard(tandem, cluster.kubeconfig, work)
        driver = start_browser()
        checks = Checks(tandem, cluster, dashboard, driver, arguments.screenshots)
        for name, check in CHECKS:
            if only and name not in only:
                continue
            began = time.monotonic()
            try:
                try:
                    check(checks)
                finally:
                    console_errors(driver)  # also after a failed check, so its errors are not blamed on the next
                print(f"  ok    {name} ({time.monotonic() - began:.1f}s)")
            except Exception:
                failures.append(name)
                print(f"  FAIL  {name} ({time.monotonic() - began:.1f}s)\n{traceback.format_exc()}")
                shot = os.path.join(work, f"failed-{name}.png")
                try:
                    driver.save_screenshot(shot)
                    print(f"        the page: {shot}")
                except Exception:
                    pass
    except Exception:
        failures.append("setup")
        print(f"  FAIL  setup\n{traceback.format_exc()}")
    finally:
        if driver:
            driver.quit()
        if dashboard:
            code = dashboard.process.stop(signal.SIGINT)
            if code != 0:
                failures.append("dashboard exit")
                print(f"  FAIL  tandem dashboard exited {code} on SIGINT; stderr:\n{dashboard.process.stderr_tail()}")
            elif failures:
                print(f"tandem dashboard's stderr:\n{dashboard.process.stderr_tail()}")
        if cluster:
            cluster.process.stop()
    if failures:
        print(f"browser tests FAILED: {', '.join(failures)} (files in {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"browser tests passed in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
