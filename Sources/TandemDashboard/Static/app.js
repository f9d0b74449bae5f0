// The Tandem dashboard's page: the application list, an application's page and the editor,
// drawn from the JSON API and kept current by server-sent events. No framework, no build step.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TOKEN_KEY = "tandem-actions-token";

// Builds an element: el("a", {href: "/"}, "text", child...). Text is always set as text.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function healthBadge(word, testid) {
  return el("span", {class: "health health-" + word, "data-testid": testid}, word);
}

function age(created) {
  if (!created) return "-";
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(created)) / 1000));
  if (seconds < 120) return seconds + "s";
  if (seconds < 7200) return Math.floor(seconds / 60) + "m";
  if (seconds < 172800) return Math.floor(seconds / 3600) + "h";
  return Math.floor(seconds / 86400) + "d";
}

function main() {
  return document.getElementById("main");
}

// Follows an event stream; the browser reconnects by itself when the connection drops.
let openStreams = [];
function follow(url, event, handle) {
  const source = new EventSource(url);
  source.addEventListener(event, (message) => handle(JSON.parse(message.data)));
  openStreams.push(source);
  return source;
}

// ---- The application list ----

function showList() {
  document.title = "Applications · Tandem";
  const body = el("tbody");
  const table = el("table", {class: "apps", "data-testid": "app-list"},
    el("caption", {class: "visually-hidden"}, "Applications"),
    el("thead", {}, el("tr", {},
      ...["Application", "Namespace", "Components", "Health", "Workflow", "Managed by", "Age"].map((title) => el("th", {scope: "col"}, title)))),
    body);
  const empty = el("p", {class: "muted", hidden: true}, "No applications yet.");
  main().replaceChildren(el("h1", {}, "Applications"), empty, el("div", {class: "scroll"}, table));
  const rows = new Map();
  follow("/api/events", "applications", (applications) => {
    empty.hidden = applications.length > 0;
    const seen = new Set();
    applications.forEach((app, index) => {
      const key = app.namespace + "/" + app.name;
      seen.add(key);
      let row = rows.get(key);
      if (!row) {
        row = el("tr", {"data-testid": "app-row", "data-app": app.name, "data-namespace": app.namespace});
        rows.set(key, row);
      }
      const href = "/app/" + encodeURIComponent(app.namespace) + "/" + encodeURIComponent(app.name);
      row.replaceChildren(
        el("th", {scope: "row", "data-label": "Application"}, el("a", {href: href}, app.name)),
        el("td", {"data-label": "Namespace"}, app.namespace),
        el("td", {"data-label": "Components"}, app.components.join(", ") || "-"),
        el("td", {"data-label": "Health", title: app.state}, healthBadge(app.health, "app-health")),
        el("td", {"data-label": "Workflow"}, app.workflowPhase || "-"),
        el("td", {"data-label": "Managed by"}, app.managedBy),
        el("td", {"data-label": "Age"}, age(app.created)));
      // Keep the rows in the server's order without recreating them (focus stays put).
      if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
    });
    for (const [key, row] of rows) {
      if (!seen.has(key)) { row.remove(); rows.delete(key); }
    }
  });
}

// ---- An application's page ----

function showApplication(namespace, name) {
  document.title = name + " · Tandem";
  const heading = el("h1", {}, name, " ");
  const status = el("p", {class: "muted"}, "namespace " + namespace);
  // Focusable, so that a keyboard can scroll a topology wider than the screen.
  const topology = el("div", {class: "scroll topology-box", tabindex: "0", "aria-label": "Topology, scrollable"});
  const containers = el("div", {class: "scroll"});
  const workflow = el("div");
  const events = el("ul", {class: "events", "data-testid": "events"});
  const logTitle = el("h2", {}, "Logs");
  const logs = el("pre", {class: "logs", "data-testid": "logs", tabindex: "0"}, "Choose a container's Logs button to follow its log.");
  const result = el("p", {class: "action-result", "data-testid": "action-result", role: "status", "aria-live": "polite"});
  const run = (action) => () => act("/api/apps/" + encodeURIComponent(namespace) + "/" + encodeURIComponent(name) + "/workflow/" + action, result);
  const resume = button("Resume", run("resume"), {"data-testid": "resume", hidden: true});
  const terminate = button("Terminate", run("terminate"), {"data-testid": "terminate", class: "danger", hidden: true});
  main().replaceChildren(heading, status,
    el("section", {"aria-labelledby": "topology-title"}, el("h2", {id: "topology-title"}, "Topology"), topology, legend()),
    el("section", {"aria-labelledby": "workflow-title"}, el("h2", {id: "workflow-title"}, "Workflow"), workflow, el("div", {class: "buttons"}, resume, terminate), result),
    el("section", {"aria-labelledby": "containers-title"}, el("h2", {id: "containers-title"}, "Containers"), containers),
    el("section", {"aria-labelledby": "events-title"}, el("h2", {id: "events-title"}, "Events"), events),
    el("section", {}, logTitle, logs),
    objectsSection(namespace, name));
  const base = "/api/apps/" + encodeURIComponent(namespace) + "/" + encodeURIComponent(name);
  follow(base + "/events", "application", (app) => {
    if (app.error) {
      status.textContent = app.error;
      return;
    }
    heading.replaceChildren(app.name, " ", healthBadge(app.health, "app-health"));
    status.textContent = "namespace " + app.namespace + " · managed by " + app.managedBy
      + (app.warnings.length ? " · " + app.warnings[0] : "") + (app.problems ? " · " + app.problems.join("; ") : "");
    topology.replaceChildren(drawTopology(app));
    containers.replaceChildren(containerTable(app, (pod, container) => followLog(base, pod, container, logs, logTitle)));
    workflow.replaceChildren(workflowSteps(app.workflow));
    // Only the actions that apply to the workflow as it is now.
    resume.hidden = !app.actions.includes("resume");
    terminate.hidden = !app.actions.includes("terminate");
    events.replaceChildren(...(app.events.length ? app.events.map((event) =>
      el("li", {class: event.type === "Warning" ? "warning" : ""},
        el("span", {class: "event-time"}, event.time), " ", el("strong", {}, event.reason), " ", event.object, ": ", event.message,
        event.count > 1 ? " (×" + event.count + ")" : ""))
      : [el("li", {class: "muted"}, "No events.")]));
  });
}

// The objects of the current revision and their diff against the live ones: asked for, not
// followed (each asks the cluster for a dry run of every object).
function objectsSection(namespace, name) {
  const status = el("p", {class: "muted", role: "status"}, "Render the current revision again and compare it with the live objects.");
  const diff = el("pre", {class: "rendered diff", "data-testid": "diff", tabindex: "0", hidden: true});
  const rendered = el("pre", {class: "rendered", "data-testid": "objects", tabindex: "0", hidden: true});
  const load = async () => {
    status.textContent = "Rendering and comparing…";
    try {
      const response = await fetch("/api/apps/" + encodeURIComponent(namespace) + "/" + encodeURIComponent(name) + "/objects");
      const body = await response.json();
      if (!response.ok) {
        status.textContent = body.error || response.statusText;
        return;
      }
      status.textContent = body.revision + ": " + (body.diff ? "the live objects differ:" : "the live objects are as rendered.")
        + (body.note ? " " + body.note : "");
      diff.textContent = body.diff;
      diff.hidden = !body.diff;
      rendered.textContent = body.rendered;
      rendered.hidden = false;
    } catch (error) {
      status.textContent = "The dashboard did not answer: " + error;
    }
  };
  return el("section", {"aria-labelledby": "objects-title"}, el("h2", {id: "objects-title"}, "Objects"), status,
    el("div", {class: "buttons"}, button("Compare with the live objects", load, {"data-testid": "compare"})), diff,
    el("h3", {}, "Rendered"), rendered);
}

function legend() {
  return el("p", {class: "legend"}, ...["healthy", "progressing", "unhealthy", "failed", "unknown"].map((word) =>
    el("span", {class: "legend-item"}, el("span", {class: "swatch node-" + word}), word)),
    el("span", {class: "legend-item"}, el("span", {class: "swatch swatch-sidecar"}), "sidecar"));
}

// The tree application → components → workloads → pods → containers, laid out in columns,
// each parent centred on its children.
function drawTopology(app) {
  const root = {kind: "application", name: app.name, health: app.health, detail: app.managedBy, children: app.components.map((component) => ({
    kind: "component", name: component.name, health: component.health, detail: component.type, title: component.message,
    children: component.workloads.map((workload) => ({
      kind: "workload", name: workload.name, health: workload.health,
      detail: workload.kind + (workload.ready ? " " + workload.ready : "") + (workload.trait ? " (" + workload.trait + ")" : ""),
      title: workload.message,
      children: workload.pods.map((pod) => ({
        kind: "pod", name: pod.name, health: pod.health, detail: pod.phase + " " + pod.ready,
        children: pod.containers.map((container) => ({
          kind: "container", name: container.name, health: container.health, sidecar: container.sidecar,
          detail: (container.role === "main" ? "" : container.role + " · ") + container.summary,
          title: container.message || container.summary, children: []}))}))}))}))};
  const columnWidth = 210, nodeWidth = 180, nodeHeight = 42, rowHeight = 54;
  let row = 0;
  const nodes = [], edges = [];
  function place(node, depth) {
    node.x = depth * columnWidth;
    if (node.children.length === 0) {
      node.y = row * rowHeight;
      row += 1;
    } else {
      node.children.forEach((child) => place(child, depth + 1));
      node.y = (node.children[0].y + node.children[node.children.length - 1].y) / 2;
      node.children.forEach((child) => edges.push([node, child]));
    }
    nodes.push(node);
  }
  place(root, 0);
  const width = 4 * columnWidth + nodeWidth + 2, height = Math.max(1, row) * rowHeight;
  const picture = svg("svg", {"data-testid": "topology", viewBox: "-1 -1 " + width + " " + height, width: width, height: height,
    role: "img", "aria-label": "Topology of " + app.name, class: "topology"});
  for (const [from, to] of edges) {
    const x1 = from.x + nodeWidth, y1 = from.y + nodeHeight / 2, x2 = to.x, y2 = to.y + nodeHeight / 2, middle = (x1 + x2) / 2;
    picture.append(svg("path", {class: "edge", d: `M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}`}));
  }
  for (const node of nodes) {
    const attributes = {"data-testid": "node", "data-kind": node.kind, "data-name": node.name, "data-health": node.health,
      class: "node node-" + node.health + (node.sidecar ? " sidecar" : ""), transform: `translate(${node.x},${node.y})`};
    if (node.kind === "container") attributes["data-sidecar"] = node.sidecar ? "true" : "false";
    const group = svg("g", attributes,
      svg("title", {}, node.kind + " " + node.name + ": " + node.health + (node.title ? " — " + node.title : "")),
      svg("rect", {width: nodeWidth, height: nodeHeight, rx: 6}),
      svg("text", {x: 8, y: 17, class: "node-name"}, clip(node.name, 22)),
      svg("text", {x: 8, y: 33, class: "node-detail"}, clip(node.kind + (node.detail ? " · " + node.detail : ""), 30)));
    picture.append(group);
  }
  return picture;
}

function clip(text, length) {
  return text.length > length ? text.slice(0, length - 1) + "…" : text;
}

function containerTable(app, onLogs) {
  const rows = [];
  for (const component of app.components) {
    for (const workload of component.workloads) {
      for (const pod of workload.pods) {
        for (const container of pod.containers) {
          rows.push(el("tr", {"data-testid": "container-row", "data-name": container.name, "data-pod": pod.name},
            el("th", {scope: "row", "data-label": "Container"}, container.name, container.sidecar ? " (sidecar)" : ""),
            el("td", {"data-label": "Pod"}, pod.name),
            el("td", {"data-label": "State"}, healthBadge(container.health), " ", container.summary),
            el("td", {"data-label": "Restarts"}, String(container.restarts)),
            el("td", {"data-label": "Last termination"}, container.lastTermination || "-"),
            el("td", {"data-label": "Probes"}, container.probes.length ? container.probes.join("; ") : "-"),
            el("td", {"data-label": "Log"}, button("Logs", () => onLogs(pod.name, container.name), {"data-testid": "logs-button",
              "aria-label": "Follow the log of " + container.name + " in " + pod.name}))));
        }
      }
    }
  }
  if (rows.length === 0) return el("p", {class: "muted"}, "No containers running.");
  return el("table", {class: "containers"},
    el("thead", {}, el("tr", {}, ...["Container", "Pod", "State", "Restarts", "Last termination", "Probes", "Log"].map((title) =>
      el("th", {scope: "col"}, title)))),
    el("tbody", {}, ...rows));
}

let logSource = null;
function followLog(base, pod, container, output, title) {
  if (logSource) logSource.close();
  title.textContent = "Logs of " + pod + "/" + container;
  output.textContent = "";
  const query = "?pod=" + encodeURIComponent(pod) + "&container=" + encodeURIComponent(container);
  logSource = follow(base + "/logs" + query, "line", (line) => {
    output.append(line + "\n");
    while (output.childNodes.length > 2000) output.firstChild.remove();
    output.scrollTop = output.scrollHeight;
  });
  logSource.addEventListener("end", (message) => {
    output.append("— " + JSON.parse(message.data) + "\n");
    logSource.close();
  });
}

function workflowSteps(workflow) {
  if (!workflow) return el("p", {class: "muted"}, "This application has no recorded workflow.");
  // KubeVela writes the workflow's phase as `status`.
  const steps = (workflow.steps || []).flatMap((step) => [step, ...(step.subSteps || [])]);
  return el("div", {},
    el("p", {}, "Phase: ", el("strong", {"data-testid": "workflow-phase"}, workflow.status || workflow.phase || "-"), workflow.message ? " — " + workflow.message : ""),
    el("ol", {class: "steps"}, ...steps.map((step) =>
      el("li", {"data-testid": "workflow-step", "data-name": step.name, "data-phase": step.phase || ""},
        el("strong", {}, step.name), " (" + (step.type || "step") + "): ",
        el("span", {class: "phase phase-" + (step.phase || "pending")}, step.phase || "pending"),
        step.message ? " — " + step.message : ""))));
}

function button(label, action, attributes) {
  const node = el("button", Object.assign({type: "button"}, attributes || {}), label);
  node.addEventListener("click", action);
  return node;
}

// Posts an action with the token kept for this tab; asks for the token when there is none or
// when the server refused the one presented.
async function act(url, result) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    result.textContent = "Enter the actions token to continue.";
    askForToken(() => act(url, result));
    return;
  }
  result.textContent = "Working…";
  try {
    const response = await fetch(url, {method: "POST", headers: {"X-Tandem-Token": token}});
    const body = await response.json().catch(() => ({}));
    if (response.status === 403) {
      result.textContent = "Refused: " + (body.error || "forbidden");
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(() => act(url, result));
      return;
    }
    result.textContent = response.ok ? body.message : "Failed: " + (body.error || response.statusText);
  } catch (error) {
    result.textContent = "Failed: " + error;
  }
}

let afterToken = null;
function askForToken(then) {
  afterToken = then;
  const dialog = document.getElementById("token-dialog");
  dialog.hidden = false;
  document.getElementById("token-input").focus();
}

function setUpTokenDialog() {
  const dialog = document.getElementById("token-dialog");
  const input = document.getElementById("token-input");
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    input.value = "";
    dialog.hidden = true;
    const then = afterToken;
    afterToken = null;
    if (then) then();
  });
  const close = () => { dialog.hidden = true; afterToken = null; };
  document.getElementById("token-cancel").addEventListener("click", close);
  dialog.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
}

// ---- The editor ----

function showEditor() {
  document.title = "Editor · Tandem";
  const input = el("textarea", {id: "editor-input", "data-testid": "editor-input", spellcheck: "false", rows: "22",
    placeholder: "apiVersion: core.oam.dev/v1beta1\nkind: Application\n…"});
  const diagnostics = el("ul", {class: "diagnostics", "aria-live": "polite"});
  const ok = el("p", {class: "ok", "data-testid": "diagnostics-ok", hidden: true}, "No problems: the Application is valid.");
  const rendered = el("pre", {class: "rendered", "data-testid": "rendered", tabindex: "0", hidden: true});
  const nothingRendered = el("p", {class: "muted"}, "The objects appear here once the Application is valid.");
  main().replaceChildren(el("h1", {}, "Editor"),
    el("div", {class: "editor"},
      el("section", {"aria-labelledby": "input-title"}, el("h2", {id: "input-title"}, el("label", {for: "editor-input"}, "Application")), input),
      el("section", {"aria-labelledby": "problems-title"}, el("h2", {id: "problems-title"}, "Diagnostics"), ok, diagnostics,
        el("h2", {}, "Rendered objects"), nothingRendered, rendered)));
  let timer = null, sent = 0;
  async function check() {
    const number = ++sent;
    try {
      const response = await fetch("/api/validate", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({text: input.value})});
      const body = await response.json();
      if (number !== sent) return;  // a newer check is under way
      if (!response.ok) {
        diagnostics.replaceChildren(el("li", {class: "error"}, body.error || response.statusText));
        ok.hidden = true;
        return;
      }
      diagnostics.replaceChildren(...body.diagnostics.map((diagnostic) => {
        const item = el("li", {"data-testid": "diagnostic", "data-line": diagnostic.line ?? "", "data-column": diagnostic.column ?? "",
          class: diagnostic.severity}, el("button", {type: "button", class: "link"}, diagnostic.text));
        item.firstChild.addEventListener("click", () => moveTo(input, diagnostic.line, diagnostic.column));
        return item;
      }));
      ok.hidden = body.diagnostics.length > 0;
      rendered.textContent = body.rendered;
      rendered.hidden = !body.rendered;
      nothingRendered.hidden = !!body.rendered;
    } catch (error) {
      diagnostics.replaceChildren(el("li", {class: "error"}, "The dashboard did not answer: " + error));
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  input.focus();
}

// Puts the caret at a diagnostic's line and column.
function moveTo(input, line, column) {
  if (!line) return;
  const lines = input.value.split("\n");
  let offset = 0;
  for (let index = 0; index < line - 1 && index < lines.length; index++) offset += lines[index].length + 1;
  offset += Math.max(0, (column || 1) - 1);
  input.focus();
  input.setSelectionRange(offset, offset);
}

// ---- Start ----

async function start() {
  setUpTokenDialog();
  fetch("/api/settings").then((response) => response.json()).then((settings) => {
    document.getElementById("place").textContent = settings.place + (settings.actions ? " · actions allowed" : " · read-only");
  }).catch(() => {});
  const path = location.pathname;
  const app = path.match(/^\/app\/([^/]+)\/([^/]+)\/?$/);
  if (app) showApplication(decodeURIComponent(app[1]), decodeURIComponent(app[2]));
  else if (path === "/editor") showEditor();
  else showList();
}

window.addEventListener("pagehide", () => openStreams.forEach((source) => source.close()));
document.addEventListener("DOMContentLoaded", start);
