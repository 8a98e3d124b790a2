"""The SpiffWorkflow wrapper: parse and validate BPMN, run workflows, and store their state as JSON.

Nothing here touches the database: services load a definition's parsed spec (cached per definition,
definitions never change once stored), restore the workflow from ``ProcessInstance.state``, run it and
dump it back.

Expressions (gateway conditions, timer expressions, completion conditions) are evaluated by a
restricted script engine: a unit admin uploads the BPMN, so nothing in it may run arbitrary Python.
Script and service tasks are refused at upload, and expressions may only use the data, literals,
operators and a few harmless functions (``len``, ``any``, ``all``…).
"""

from __future__ import annotations

import ast
import copy
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from uuid import UUID

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.task_spec import MultiInstanceTaskConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.defaults import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
    UserTask,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from zhengtong.workflow.exceptions import InvalidDefinition, WorkflowError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS}


# --- Multi-instance tasks whose element variable may shadow a process variable ---------------------

class _ElementScopeMixin:
    """Keep a multi-instance element variable local to its child task.

    SpiffWorkflow refuses an element variable that already exists in the data and merges every
    child's data back into the parent. The 发文 process uses ``department`` both for the drafting
    department and as the element of 会签, so the element shadows the variable inside the child and
    is dropped again when the child's data is merged back.
    """

    def create_child(self, my_task, item, key_or_index=None):
        name = self.input_item.bpmn_id if self.input_item is not None else None
        saved = my_task.data.pop(name, _MISSING) if name else _MISSING
        try:
            super().create_child(my_task, item, key_or_index)
        finally:
            if saved is not _MISSING:
                my_task.data[name] = saved

    def merge_child(self, workflow, child):
        name = self.input_item.bpmn_id if self.input_item is not None else None
        saved = child.data.pop(name, _MISSING) if name else _MISSING
        try:
            super().merge_child(workflow, child)
        finally:
            if saved is not _MISSING:
                child.data[name] = saved


_MISSING = object()


class ScopedParallelMultiInstanceTask(_ElementScopeMixin, ParallelMultiInstanceTask):
    pass


class ScopedSequentialMultiInstanceTask(_ElementScopeMixin, SequentialMultiInstanceTask):
    pass


class _TaskParser(TaskParser):
    PARALLEL_MI_CLASS = ScopedParallelMultiInstanceTask
    SEQUENTIAL_MI_CLASS = ScopedSequentialMultiInstanceTask


class _Parser(BpmnParser):
    OVERRIDE_PARSER_CLASSES = {
        full_tag("userTask"): (_TaskParser, UserTask),
    }


# --- Restricted expressions ---------------------------------------------------------------------------

SAFE_FUNCTIONS = {
    "len": len, "any": any, "all": all, "min": min, "max": max, "sum": sum, "abs": abs, "round": round,
    "str": str, "int": int, "float": float, "bool": bool, "sorted": sorted, "list": list, "set": set,
}
SAFE_METHODS = {"get", "keys", "values", "items", "startswith", "endswith", "strip", "lower", "upper", "count"}
_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Call, ast.Name, ast.Load, ast.Constant,
    ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Subscript, ast.Slice, ast.IfExp, ast.Attribute, ast.keyword,
    ast.And, ast.Or, ast.Not, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is,
    ast.IsNot, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.USub, ast.UAdd,
)


@functools.lru_cache(maxsize=512)
def _expression_problem(expression: str) -> tuple[str, str] | None:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        return "syntax", str(error.msg)
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return "construct", type(node).__name__
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            return "underscore", node.id
        if isinstance(node, ast.Attribute) and node.attr not in SAFE_METHODS:
            return "attribute", node.attr
        if isinstance(node, ast.Call):
            func = node.func
            if not ((isinstance(func, ast.Name) and func.id in SAFE_FUNCTIONS)
                    or (isinstance(func, ast.Attribute) and func.attr in SAFE_METHODS)):
                return "call", ""
    return None


def check_expression(expression: str) -> str | None:
    """None when ``expression`` is a safe expression, else the reason (in the active language)."""
    problem = _expression_problem(expression)
    if problem is None:
        return None
    kind, detail = problem
    if kind == "syntax":
        return _("syntax error: %(error)s") % {"error": detail}
    if kind == "construct":
        return _("“%(construct)s” is not allowed in an expression") % {"construct": detail}
    if kind == "underscore":
        return _("names starting with an underscore are not allowed")
    if kind == "attribute":
        return _("“.%(name)s” is not allowed in an expression") % {"name": detail}
    return _("only these functions may be called: %(names)s") % {
        "names": ", ".join(sorted(SAFE_FUNCTIONS) + sorted(SAFE_METHODS))}


class SafeEnvironment(TaskDataEnvironment):
    """Evaluates checked expressions against the task data with no builtins but ``SAFE_FUNCTIONS``."""

    def evaluate(self, expression, context, external_context=None):
        if _expression_problem(expression) is not None:
            problem = check_expression(expression)
            raise WorkflowError(_("The expression “%(expression)s” is refused: %(problem)s.")
                                % {"expression": expression, "problem": problem})
        names = {"__builtins__": {}, **SAFE_FUNCTIONS}
        names.update(external_context or {})
        names.update(context)
        return eval(compile(expression.strip(), "<bpmn>", "eval"), names)  # checked by _expression_problem

    def execute(self, script, context, external_context=None):
        raise WorkflowError(_("Scripts are not allowed in processes."))

    def call_service(self, context, **kwargs):
        raise WorkflowError(_("Service tasks are not allowed in processes."))


SCRIPT_ENGINE = PythonScriptEngine(environment=SafeEnvironment())


# --- Serialisation: the task tree only; the spec comes from the cached definition ---------------------

class _StateConverter(BpmnWorkflowConverter):
    """Serialise the workflow without its spec: a definition never changes, so the spec is not stored."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        dct = dict(dct)
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        workflow = self.target_class(spec, subprocess_specs or {}, script_engine=SCRIPT_ENGINE, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dict(dct["subprocesses"]), workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _serializer() -> BpmnWorkflowSerializer:
    config = dict(DEFAULT_CONFIG)
    config[ScopedParallelMultiInstanceTask] = MultiInstanceTaskConverter
    config[ScopedSequentialMultiInstanceTask] = MultiInstanceTaskConverter
    config[BpmnWorkflow] = _StateConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


SERIALIZER = _serializer()
STATE_FORMAT = 1


def dump(workflow: BpmnWorkflow) -> dict:
    """The workflow's state as a JSON-serialisable dict (for ``ProcessInstance.state``)."""
    state = SERIALIZER.to_dict(workflow)
    state["format"] = STATE_FORMAT
    return state


def _tree_order(tasks: dict, root: str) -> dict:
    """The tasks with every parent before its children.

    SpiffWorkflow rebuilds a task's data from its parent's (it stores only the changes), so parents must
    be restored first; PostgreSQL's jsonb does not keep the order of object keys.
    """
    ordered: dict = {}
    queue = [root]
    while queue:
        task_id = queue.pop(0)
        if task_id in ordered or task_id not in tasks:
            continue
        ordered[task_id] = tasks[task_id]
        queue.extend(tasks[task_id].get("children", []))
    for task_id, task in tasks.items():  # anything unreachable keeps its place at the end
        ordered.setdefault(task_id, task)
    return ordered


def load(parsed: ParsedProcess, state: dict) -> BpmnWorkflow:
    """Restore a workflow dumped by ``dump`` on the spec it was started with."""
    state = {key: value for key, value in state.items() if key != "format"}
    state = copy.deepcopy(state)  # the restore pops keys; the model's dict stays intact
    state["tasks"] = _tree_order(state["tasks"], state["root"])
    for subprocess in state.get("subprocesses", {}).values():
        subprocess["tasks"] = _tree_order(subprocess["tasks"], subprocess["root"])
    return SERIALIZER.from_dict(state, spec=parsed.spec, subprocess_specs=parsed.subprocess_specs)


# --- Parsing and validation ---------------------------------------------------------------------------

@dataclass
class ParsedProcess:
    process_id: str
    name: str
    spec: object
    subprocess_specs: dict
    lanes: dict[str, str] = field(default_factory=dict)  # user task id -> lane name
    user_tasks: dict[str, str] = field(default_factory=dict)  # user task id -> task name (in order)


_validator = None
_validator_lock = threading.Lock()


def _schema() -> BpmnValidator:
    global _validator
    with _validator_lock:
        if _validator is None:
            _validator = BpmnValidator()
    return _validator


def _line(node) -> str:
    return str(getattr(node, "sourceline", "") or "")


def parse(bpmn_xml: str | bytes, *, role_of_lane=None, required_steps=(), strict: bool = False) -> ParsedProcess:
    """Parse and check a BPMN document; raise ``InvalidDefinition`` with one message per problem.

    ``role_of_lane(name) -> code | None`` checks lane names; ``required_steps`` are user task ids the
    process must keep (the documents app relies on them). ``strict`` adds the checks for uploads:
    schema, lanes, and no script or service tasks.
    """
    if isinstance(bpmn_xml, str):
        bpmn_xml = bpmn_xml.encode("utf-8")
    problems: list[str] = []
    try:
        parser_xml = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(bpmn_xml, parser=parser_xml)
    except etree.XMLSyntaxError as error:
        raise InvalidDefinition([_("The file is not well-formed XML (line %(line)s): %(error)s")
                                 % {"line": error.lineno, "error": error.msg}]) from None
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise InvalidDefinition([_("The file is not a BPMN 2.0 document: its root element must be "
                                   "bpmn:definitions.")])
    if strict:
        try:
            _schema().validate(root)
        except ValidationException as error:
            detail = str(error).split("\n")[0].replace(f"{{{BPMN_NS}}}", "bpmn:")
            raise InvalidDefinition([_("The file does not follow the BPMN 2.0 schema (line %(line)s): %(error)s")
                                     % {"line": error.line_number, "error": detail[:300]}]) from None

    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable", "false").lower() == "true"]
    if not executable:
        raise InvalidDefinition([_("The file has no executable process (a bpmn:process with "
                                   "isExecutable=\"true\").")])
    if len(executable) > 1:
        problems.append(_("The file has more than one executable process (%(ids)s); keep one.")
                        % {"ids": ", ".join(p.get("id", "") for p in executable)})
    process = executable[0]
    process_id = process.get("id", "")

    lane_of: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        lane_name = (lane.get("name") or "").strip()
        if strict and role_of_lane is not None and lane.find("bpmn:childLaneSet", NS) is None:
            if not lane_name:
                problems.append(_("Lane %(id)s has no name: name it after a role.") % {"id": lane.get("id", "")})
            elif role_of_lane(lane_name) is None:
                problems.append(_("Lane %(id)s is named “%(name)s”, which is not a known role.")
                                % {"id": lane.get("id", ""), "name": lane_name})
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            lane_of[(ref.text or "").strip()] = lane_name

    ids = {node.get("id") for node in process.iter() if node.get("id")}
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        for end in ("sourceRef", "targetRef"):
            if flow.get(end) not in ids:
                problems.append(_("Sequence flow %(id)s points to %(target)s, which is not in the process.")
                                % {"id": flow.get("id", ""), "target": flow.get(end) or "—"})

    user_tasks: dict[str, str] = {}
    for task in process.iter(f"{{{BPMN_NS}}}userTask"):
        task_id = task.get("id", "")
        user_tasks[task_id] = task.get("name") or task_id
        if strict and not task.get("name"):
            problems.append(_("User task %(id)s has no name.") % {"id": task_id})
        if strict and task_id not in lane_of:
            problems.append(_("User task %(id)s (“%(name)s”) is not in any lane, so nobody would be offered "
                              "it.") % {"id": task_id, "name": task.get("name") or ""})
    if strict:
        for tag in ("scriptTask", "serviceTask", "sendTask", "businessRuleTask", "callActivity"):
            for node in process.iter(f"{{{BPMN_NS}}}{tag}"):
                problems.append(_("Element %(id)s is a %(tag)s, which processes may not contain (only user "
                                  "tasks, gateways and events).") % {"id": node.get("id", ""), "tag": tag})
        expression_tags = ("conditionExpression", "timeDuration", "timeDate", "timeCycle", "completionCondition",
                           "loopCardinality")
        for tag in expression_tags:
            for node in process.iter(f"{{{BPMN_NS}}}{tag}"):
                text = (node.text or "").strip()
                owner = node.getparent()
                while owner is not None and not owner.get("id"):
                    owner = owner.getparent()
                problem = check_expression(text) if text else None
                if problem:
                    problems.append(_("The expression “%(expression)s” of %(id)s is refused: %(problem)s.")
                                    % {"expression": text, "id": owner.get("id", "") if owner is not None else "",
                                       "problem": problem})
    for step in required_steps:
        if step not in user_tasks:
            problems.append(_("The process must keep the user task %(id)s: other parts of the platform rely "
                              "on it.") % {"id": step})
    if problems:
        raise InvalidDefinition(problems)

    parser = _Parser(validator=None)
    try:
        parser.add_bpmn_xml(root, filename=process_id)
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        where = error.id or error.line_number or ""
        raise InvalidDefinition([_("The process cannot be read at %(where)s: %(error)s")
                                 % {"where": where, "error": str(error).split("\n")[0]}]) from None
    except (SpiffWorkflowException, etree.LxmlError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise InvalidDefinition([_("The process cannot be read: %(error)s") % {"error": str(error)[:300]}]) from None
    return ParsedProcess(process_id=process_id, name=process.get("name") or process_id, spec=spec,
                         subprocess_specs=subprocess_specs, lanes=lane_of, user_tasks=user_tasks)


_cache: OrderedDict[tuple, ParsedProcess] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 128


def parsed_definition(definition) -> ParsedProcess:
    """The parsed spec of a stored ``ProcessDefinition`` (cached: a stored definition never changes)."""
    # keyed by the text too: a primary key alone can be reused (a rolled-back test, a restored backup)
    key = (definition.pk, hash(definition.bpmn_xml))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    parsed = parse(definition.bpmn_xml)
    with _cache_lock:
        _cache[key] = parsed
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return parsed


# --- Running ---------------------------------------------------------------------------------------

def engine_error(error: Exception) -> WorkflowError:
    """A Chinese message for an error raised while the engine ran (bad condition, missing data…)."""
    if isinstance(error, WorkflowError):
        return error
    task = getattr(error, "task", None)
    step = getattr(getattr(task, "task_spec", None), "bpmn_id", None) or ""
    detail = str(error).split("\n")[0][:300]
    return WorkflowError(_("The process stopped at step %(step)s: %(error)s") % {"step": step, "error": detail})


def start(parsed: ParsedProcess, data: dict) -> BpmnWorkflow:
    """A new workflow with ``data``, run to its first waiting point."""
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=SCRIPT_ENGINE)
    workflow.data.update(copy.deepcopy(data))
    start_task = workflow.task_tree
    start_task.data.update(copy.deepcopy(data))
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(copy.deepcopy(data))
    run(workflow)
    return workflow


def run(workflow: BpmnWorkflow) -> None:
    """Run every automatic step (gateways, events) until only user tasks or timers are left."""
    try:
        workflow.do_engine_steps()
        workflow.refresh_timers()
        workflow.do_engine_steps()
    except WorkflowError:
        raise
    except Exception as error:  # SpiffWorkflow raises many kinds: each becomes one clear message
        raise engine_error(error) from error


def ready_user_tasks(workflow: BpmnWorkflow) -> list:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def task_by_id(workflow: BpmnWorkflow, task_id: str):
    try:
        return workflow.get_task_from_id(UUID(task_id))
    except Exception:  # noqa: BLE001 - TaskNotFoundException or a bad id
        return None


def step_of(task) -> str:
    return task.task_spec.bpmn_id or task.task_spec.name


def label_of(task) -> str:
    return task.task_spec.bpmn_name or step_of(task)


def lane_of(task) -> str:
    return task.task_spec.lane or ""


def element_of(task) -> tuple[str, object] | None:
    """For a multi-instance child task, (element variable, its value), e.g. ("department", 7)."""
    parent = task.parent
    if parent is None or not isinstance(parent.task_spec, MultiInstanceTask):
        return None
    item = parent.task_spec.input_item
    if item is None:
        return None
    name = item.bpmn_id
    return name, task.data.get(name)


def is_completed(task) -> bool:
    return task.has_state(TaskState.COMPLETED)


def is_ready(task) -> bool:
    return task.has_state(TaskState.READY)


def completed_user_ancestors(task) -> list:
    """Completed user tasks on the path from the start to ``task`` (earliest first)."""
    found = []
    node = task.parent
    while node is not None:
        if node.task_spec.manual and is_completed(node):
            found.append(node)
        node = node.parent
    return list(reversed(found))


def user_descendants(task) -> list:
    """User tasks below ``task`` in the tree (the steps that followed it)."""
    return [node for node in task if node is not task and node.task_spec.manual]


def waiting_timers(workflow: BpmnWorkflow) -> bool:
    """Whether some timer event is waiting (the periodic task only looks at such instances)."""
    for task in workflow.get_tasks(state=TaskState.WAITING):
        if isinstance(task.task_spec, CatchingEvent) and "Timer" in type(task.task_spec.event_definition).__name__:
            return True
    return False


def display_data(workflow: BpmnWorkflow) -> dict:
    """The data to show: of the open user tasks (without their multi-instance element), else the last step."""
    tasks = ready_user_tasks(workflow)
    if not tasks:
        last = workflow.last_task
        if workflow.is_completed():
            ends = [t for t in workflow.get_tasks(state=TaskState.COMPLETED)
                    if type(t.task_spec).__name__ == "EndEvent"]
            last = ends[-1] if ends else last
        return copy.deepcopy(dict(last.data)) if last is not None else copy.deepcopy(dict(workflow.data))
    merged: dict = {}
    for task in tasks:
        element = element_of(task)
        for key, value in task.data.items():
            if element is not None and key == element[0]:
                if key in task.parent.data and key not in merged:
                    merged[key] = copy.deepcopy(task.parent.data[key])
                continue
            merged[key] = copy.deepcopy(value)
    return merged
