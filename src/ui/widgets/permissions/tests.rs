use crate::ui::widgets::buffer_text as text;
use ratatui::style::Modifier;

use crate::api::models::Role;
use crate::screens::profile::tree::fixtures::big;
use crate::screens::profile::tree::fixtures::developer;
use crate::screens::profile::tree::fixtures::hostile;
use crate::ui::widgets::permissions::*;

fn draw(p: &Permissions, w: u16, h: u16, focused: bool) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    render_permissions(p, buf.area, &mut buf, &Theme::default(), focused);
    buf
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// The seed Developer, an Admin granting asset publish on three uids, a Viewer refusing purge
/// (the three in Developer's stack), and the hostile role (in a stack of its own).
fn profile() -> Vec<Role> {
    let mut all = vec![developer()];
    all.extend(
        serde_json::from_value::<Vec<Role>>(serde_json::json!([
            {"name": "Admin", "api_key": "blt444ad44e4d44aa4a", "rules": [
                {"module": "asset", "assets": ["a1", "a2", "a3"], "acl": {"publish": true, "delete": false}}
            ]},
            {"name": "Viewer", "api_key": "blt444ad44e4d44aa4a", "rules": [
                {"module": "asset", "assets": ["$all"], "acl": {"read": true, "purge": false}}
            ]}
        ]))
        .expect("valid roles"),
    );
    all.push(hostile());
    all
}

#[test]
fn permissions_80x24() {
    let mut p = Permissions::new(&profile());
    p.select(6);
    let buf = draw(&p, 80, 24, true);
    let lines = text(&buf);
    assert_eq!(lines[0], "  Stack blt444ad44e4d44aa4a · 3 roles");
    // The grantors start in one column for the whole list: after the widest right name of any
    // module (the hostile role's `sub_acl.publish`), not each module's own.
    assert_eq!(lines[6], "›     ✓ publish           Developer (assets: $all), Admin (assets: 3 uids)");
    assert_eq!(lines[7], "      ✗ purge             not granted by any role · false in Viewer");
    // The cell where each right's grantors start (after the name and its padding).
    let column = |line: &str| {
        let name_end = line.find(['✓', '✗']).map(|i| i + '✓'.len_utf8() + 1)?;
        let pad = line[name_end..].find("  ")? + name_end;
        let text = pad + line[pad..].find(|c: char| c != ' ')?;
        Some(line[..text].width())
    };
    let starts: Vec<_> =
        lines.iter().filter(|l| l.contains('✓') || l.contains('✗')).map(|l| column(l)).collect();
    assert!(starts.len() > 5 && starts.windows(2).all(|w| w[0] == w[1]), "{lines:#?}");
    assert!(buf[(10, 6)].modifier.contains(Modifier::REVERSED));
    snapshot!("permissions_80x24", format!("{buf:?}"));
}

#[test]
fn permissions_40x15() {
    let mut p = Permissions::new(&profile());
    p.select_last();
    p.scroll_into_view(15);
    let buf = draw(&p, 40, 15, false);
    let lines = text(&buf);
    assert!(lines.iter().all(|l| l.width() <= 40));
    assert_eq!(p.len(), 17, "two stacks' headers, their modules and rights");
    assert!(lines[14].ends_with(" 17/17"), "{:?}", lines[14]);
    assert!(
        lines.iter().any(|l| l.starts_with("  Stack blt^Gbell · 1 role")),
        "its stack's header: {lines:#?}"
    );
    snapshot!("permissions_40x15", format!("{buf:?}"));
    p.scroll_into_view(12);
    let short = text(&draw(&p, 40, 12, false));
    assert!(short[11].ends_with(" 17/17"), "{:?}", short[11]);
    assert!(short[11].starts_with("›     ✓ sub_acl.削除"), "{:?}", short[11]);
}

#[test]
fn permissions_filtered() {
    let mut p = Permissions::new(&profile());
    p.set_filter("ADMIN");
    let buf = draw(&p, 80, 24, true);
    assert_eq!(
        text(&buf)[..4],
        [
            "› Stack blt444ad44e4d44aa4a · 3 roles",
            "    asset · 5 of 6 rights granted",
            "      ✓ delete            Developer (assets: $all)",
            "      ✓ publish           Developer (assets: $all), Admin (assets: 3 uids)",
        ]
    );
    snapshot!("permissions_filtered_80x24", format!("{buf:?}"));
}

#[test]
fn empty_states() {
    let p = Permissions::new(&[]);
    assert_eq!(text(&draw(&p, 40, 2, true))[0], "No permissions in this profile");
    let mut p = Permissions::new(&profile());
    p.set_filter("zzz");
    assert_eq!(text(&draw(&p, 40, 2, true))[0], "No rows match 'zzz'");
}

#[test]
fn thousands_of_grantors_fill_one_row() {
    let mut p = Permissions::new(&big(1000, 50));
    let publish = (0..p.len()).find(|&i| {
        matches!(p.row(i), Some(PermRow::Right { module, right, .. }) if module.module == "asset" && right.right == "publish")
    });
    p.select(publish.expect("asset publish"));
    p.scroll_into_view(10);
    let lines = text(&draw(&p, 80, 10, true));
    let row = &lines[p.selected() - p.offset()];
    assert!(row.starts_with("›     ✓ publish"), "{row:?}");
    assert!(row.ends_with('…') && row.width() == 80, "{row:?}");
}
