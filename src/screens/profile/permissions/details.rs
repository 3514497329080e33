//! The details of the selected permissions row: a right's row lists grantors only until the
//! line is full; this lists every role that grants it (with its targets) and every role that
//! refuses it.
use crate::screens::profile::permissions::Permissions;
use crate::screens::profile::tree::Rows;

use crate::screens::profile::details::Details;
use crate::screens::profile::permissions::Row;

impl Permissions {
    /// The details of the selected row (`None` when there is none).
    pub fn selected_details(&self) -> Option<Details> {
        match *self.rows.get(self.selected())? {
            Row::Stack { s, .. } => {
                let stack = self.stacks.get(s as usize)?;
                let roles = stack.roles.iter().map(|&r| self.role_name(r).to_string()).collect();
                let modules = self.modules.get(stack.modules.start as usize..stack.modules.end as usize)?;
                let modules = modules
                    .iter()
                    .map(|m| format!("{} · {} of {} granted", m.module, m.granted_count(), m.rights.len()))
                    .collect();
                Some(
                    Details::new("Stack")
                        .field("Name", stack.title())
                        .maybe("Stack API key", Some(stack.key.as_str()).filter(|k| !k.is_empty()))
                        .list("Your roles", roles)
                        .list("Modules", modules),
                )
            }
            Row::Module { m, .. } => {
                let module = self.modules.get(m as usize)?;
                let stack = self.stack_of(module).map(|s| s.title()).unwrap_or_default();
                let rights = module
                    .rights
                    .iter()
                    .map(|r| format!("{} {}", if r.granted() { "✓" } else { "✗" }, r.right))
                    .collect();
                let n = module.rights.len();
                Some(
                    Details::new("Module")
                        .field("In stack", stack)
                        .field("Module", module.module.as_str())
                        .field(
                            "Granted",
                            format!(
                                "{} of {n} right{}",
                                module.granted_count(),
                                if n == 1 { "" } else { "s" }
                            ),
                        )
                        .list("Rights", rights),
                )
            }
            Row::Right { m, k, .. } => {
                let module = self.modules.get(m as usize)?;
                let stack = self.stack_of(module).map(|s| s.title()).unwrap_or_default();
                let right = module.rights.get(k as usize)?;
                let grants = right
                    .granted_by
                    .iter()
                    .map(|g| match self.grant(g) {
                        (role, "") => role.to_string(),
                        (role, targets) => format!("{role} ({targets})"),
                    })
                    .collect();
                let denials = right.denied_by.iter().map(|&r| self.role_name(r).to_string()).collect();
                let verdict = if right.granted() {
                    "✓ granted in this stack"
                } else {
                    "✗ not granted by any role of this stack"
                };
                Some(
                    Details::new("Right")
                        .field("In stack", stack)
                        .field("Module", module.module.as_str())
                        .field("Right", right.right.as_str())
                        .field("Verdict", verdict)
                        .list("Granted by", grants)
                        .list("False in", denials),
                )
            }
        }
    }
}
