//! Which structures a request or response reaches, and which contain themselves by value
//! (those members are boxed).

use super::*;

/// Names of the objects reachable through member types from `roots` (the roots included).
pub(crate) fn reachable<'a>(
    roots: impl IntoIterator<Item = &'a str>,
    objects: &'a BTreeMap<String, Object>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&str> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name) {
            continue;
        }
        for member in objects.get(name).map_or(&[][..], |o| o.members.as_slice()) {
            if objects.contains_key(&member.member) {
                pending.push(&member.member);
            }
        }
    }
    seen
}

/// The objects lying on a cycle of by-value (non-list) structure members, each mapped to its
/// cycle's number: a member whose structure has the same number as its own object closes a
/// cycle, and holding it in a `Box` gives the type a size. Tarjan's strongly connected
/// components, linear in the number of members.
pub(super) fn by_value_cycles(objects: &BTreeMap<String, Object>) -> BTreeMap<&str, usize> {
    struct Walk<'a> {
        objects: &'a BTreeMap<String, Object>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        cycles: BTreeMap<&'a str, usize>,
        count: usize,
    }
    fn by_value<'a>(objects: &'a BTreeMap<String, Object>, name: &str) -> Vec<&'a str> {
        objects.get(name).map_or_else(Vec::new, |o| {
            o.members
                .iter()
                .filter(|m| m.kind == MemberKind::Object && objects.contains_key(&m.member))
                .map(|m| m.member.as_str())
                .collect()
        })
    }
    // Iterative, so a deep chain of structures cannot overflow the stack.
    fn visit<'a>(walk: &mut Walk<'a>, root: &'a str) {
        let mut frames: Vec<(&'a str, Vec<&'a str>, usize)> = Vec::new();
        let enter = |walk: &mut Walk<'a>, name: &'a str| {
            let n = walk.index.len();
            walk.index.insert(name, n);
            walk.low.insert(name, n);
            walk.stack.push(name);
            walk.on_stack.insert(name);
            (name, by_value(walk.objects, name), 0)
        };
        frames.push(enter(walk, root));
        while let Some((name, edges, next)) = frames.last_mut() {
            let name = *name;
            if let Some(&to) = edges.get(*next) {
                *next += 1;
                if !walk.index.contains_key(to) {
                    frames.push(enter(walk, to));
                } else if walk.on_stack.contains(to) {
                    let low = walk.low[name].min(walk.index[to]);
                    walk.low.insert(name, low);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                let low = walk.low[*parent].min(walk.low[name]);
                walk.low.insert(*parent, low);
            }
            if walk.low[name] == walk.index[name] {
                let mut members = Vec::new();
                while let Some(top) = walk.stack.pop() {
                    walk.on_stack.remove(top);
                    members.push(top);
                    if top == name {
                        break;
                    }
                }
                let closes = members.len() > 1 || by_value(walk.objects, name).contains(&name);
                if closes {
                    for member in members {
                        walk.cycles.insert(member, walk.count);
                    }
                    walk.count += 1;
                }
            }
        }
    }
    let mut walk = Walk {
        objects,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        cycles: BTreeMap::new(),
        count: 0,
    };
    for name in objects.keys() {
        if !walk.index.contains_key(name.as_str()) {
            visit(&mut walk, name);
        }
    }
    walk.cycles
}
