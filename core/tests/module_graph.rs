//! The core's modules import each other without a cycle, and the label catalogue imports none.
//!
//! Read from the sources: every `crate::name` (also inside `use crate::{a, b}`) outside a
//! `#[cfg(test)]` part of a file is an edge from the file's top-level module to `name`.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn idents(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|s| !s.is_empty())
}

fn edges_of(source: &str) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            // The first name of each comma-separated path.
            for path in group.split(',') {
                out.extend(idents(path).next().map(str::to_owned));
            }
        } else {
            out.extend(idents(rest).next().map(str::to_owned));
        }
    }
    out
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str().to_str().unwrap();
            let module = first.trim_end_matches(".rs").to_owned();
            if module == "lib" {
                continue;
            }
            let edges = edges_of(&std::fs::read_to_string(&path).unwrap());
            graph.entry(module.clone()).or_default().extend(edges.into_iter().filter(|m| *m != module));
        }
    }
    graph
}

/// A cycle through `start`, if any (depth-first search).
fn cycle_from(graph: &Graph, start: &str) -> Option<Vec<String>> {
    fn visit(graph: &Graph, node: &str, start: &str, path: &mut Vec<String>, seen: &mut BTreeSet<String>) -> bool {
        for next in graph.get(node).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if visit(graph, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_owned()];
    visit(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_core_has_no_import_cycle() {
    let graph = graph();
    assert!(graph.contains_key("evaluate") && graph.contains_key("labels"), "{graph:?}");
    for module in graph.keys() {
        assert_eq!(cycle_from(&graph, module), None, "{graph:#?}");
    }
}

#[test]
fn the_label_catalogue_is_a_leaf() {
    assert_eq!(graph().get("labels"), Some(&BTreeSet::new()));
}

#[test]
fn the_reader_sees_grouped_imports() {
    let edges = edges_of("use crate::{a::b, c};\nuse crate::d::E;\n#[cfg(test)]\nuse crate::f;");
    assert_eq!(edges.into_iter().collect::<Vec<_>>(), ["a", "c", "d"]);
}
