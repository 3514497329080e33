use crate::ui::widgets::buffer_text as text;
use ratatui::style::{Color, Modifier};

use crate::screens::profile::tree::fixtures::big;
use crate::screens::profile::tree::fixtures::developer;
use crate::screens::profile::tree::fixtures::hostile;
use crate::ui::widgets::tree::*;

/// Draws into a fresh buffer of `w` × `h` and returns it.
fn draw(tree: &ProfileTree, w: u16, h: u16, theme: Theme, focused: bool) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    render_tree(tree, buf.area, &mut buf, &theme, focused);
    buf
}

/// Snapshots go next to the other widgets' ones.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// Developer with every rule open, then the hostile role, collapsed; `✓ publish` selected.
fn developer_expanded() -> ProfileTree {
    let mut t = ProfileTree::new(vec![developer(), hostile()]);
    t.expand_selected();
    for rule in [4, 3, 2] {
        t.select(rule);
        t.expand_selected();
    }
    let publish = (0..t.len()).find(|&i| t.row(i).is_some_and(|r| r.text() == "✓ publish"));
    t.select(publish.expect("publish row"));
    t
}

#[test]
fn developer_expanded_80x24() {
    let t = developer_expanded();
    let buf = draw(&t, 80, 24, Theme::default(), true);
    assert_eq!(text(&buf)[0], "  ▾ Stack blt444ad44e4d44aa4a · 1 role", "the role under its stack");
    assert_eq!(text(&buf)[13], "›     ├ ✓ publish");
    snapshot!("tree_developer_80x24", format!("{buf:?}"));
}

#[test]
fn developer_expanded_40x15() {
    let mut t = developer_expanded();
    t.scroll_into_view(15);
    let buf = draw(&t, 40, 15, Theme::default(), true);
    let lines = text(&buf);
    assert!(lines.iter().all(|l| l.width() <= 40));
    // The position shows on the bottom row (from the first frame), which makes room for it.
    assert!(lines[14].ends_with(" 14/17"), "{:?}", lines[14]);
    t.scroll_into_view(10);
    let short = text(&draw(&t, 40, 10, Theme::default(), true));
    assert!(short[9].ends_with(" 14/17"), "{:?}", short[9]);
    assert!(short[9].width() <= 40);
    snapshot!("tree_developer_40x15", format!("{buf:?}"));
}

#[test]
fn filtered_80x24_and_40x15() {
    let mut t = ProfileTree::new(vec![developer(), hostile()]);
    t.set_filter("PUBlish");
    t.next_match();
    let wide = draw(&t, 80, 24, Theme::default(), true);
    snapshot!("tree_filtered_80x24", format!("{wide:?}"));
    let narrow = draw(&t, 40, 15, Theme::default(), true);
    snapshot!("tree_filtered_40x15", format!("{narrow:?}"));
    // The match is underlined: the highlight does not rest on colour.
    let (y, x) = (3, text(&narrow)[3].find("publish").map(|b| text(&narrow)[3][..b].width()).expect("match"));
    assert!(narrow[(x as u16, y)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn hostile_text_is_cut_cleanly_40x15() {
    let mut t = ProfileTree::new(vec![hostile()]);
    t.expand_all();
    let buf = draw(&t, 40, 15, Theme::default(), false);
    for line in text(&buf) {
        assert!(line.width() <= 40, "{line:?}");
        assert!(crate::sanitize::is_clean(&line), "{line:?}");
    }
    assert!(text(&buf)[1].ends_with('…'));
    snapshot!("tree_hostile_40x15", format!("{buf:?}"));
}

#[test]
fn empty_states_say_why() {
    let empty = ProfileTree::new(Vec::new());
    assert_eq!(text(&draw(&empty, 40, 3, Theme::default(), true))[0], "No roles in this profile");
    let mut t = ProfileTree::new(vec![developer()]);
    t.set_filter("xyz\u{1b}[2J");
    assert_eq!(text(&draw(&t, 40, 3, Theme::default(), true))[0], "No rows match 'xyz^[[2J'");
}

#[test]
fn selection_survives_no_color_and_unfocused_is_marked_only() {
    let t = developer_expanded();
    let sel = t.selected() as u16;
    let theme = Theme { no_color: true };
    let buf = draw(&t, 80, 24, theme, true);
    assert!(buf[(10, sel)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(10, sel)].fg, Color::Reset, "no colour at all");
    let unfocused = draw(&t, 80, 24, theme, false);
    assert!(!unfocused[(10, sel)].modifier.contains(Modifier::REVERSED));
    assert_eq!(unfocused[(0, sel)].symbol(), "›");
    // ✓ keeps its meaning without colour, and is green with it.
    let coloured = draw(&t, 80, 24, Theme::default(), false);
    let x = text(&coloured)[sel as usize].find('✓').map(|b| text(&coloured)[sel as usize][..b].width());
    assert_eq!(coloured[(x.expect("✓") as u16, sel)].fg, Color::Green);
}

#[test]
fn the_last_child_gets_a_corner() {
    let t = developer_expanded();
    let lines = text(&draw(&t, 80, 24, Theme::default(), false));
    assert!(lines[1].starts_with("  └ ▾ Developer"), "{:?}", lines[1]);
    assert!(lines[2].starts_with("    ├ ▾ locale"), "{:?}", lines[2]);
    assert!(lines[4].starts_with("    │ └ locales: $all"), "{:?}", lines[4]);
    assert!(lines[8].starts_with("    └ ▾ asset"), "{:?}", lines[8]);
    assert!(lines[14].starts_with("      └ assets: $all"), "{:?}", lines[14]);
}

#[test]
fn a_huge_tree_draws_only_its_viewport() {
    let mut t = ProfileTree::new(big(1000, 50));
    t.expand_all();
    t.select(200_000);
    t.scroll_into_view(24);
    let lines = text(&draw(&t, 80, 24, Theme::default(), true));
    assert!(lines[23].ends_with(&format!("200001/{}", t.len())), "{:?}", lines[23]);
    assert!(lines[23].starts_with("›"));
}

#[test]
fn cutting_counts_cells_not_bytes() {
    assert_eq!(cut("abcdef", 6), "abcdef");
    assert_eq!(cut("abcdef", 4), "abc…");
    // A wide character that would straddle the edge is left out whole.
    assert_eq!(cut("ab管理", 4), "ab…");
    assert_eq!(cut("管理者", 5), "管理…");
    let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
    draw_pieces(
        &mut buf,
        0,
        0,
        5,
        &[(Cow::Borrowed("ab"), Style::new()), (Cow::Borrowed("管理者"), Style::new())],
    );
    assert_eq!(text(&buf)[0], "ab管…");
}

#[test]
fn highlights_survive_case_changes_of_other_lengths() {
    assert_eq!(match_ranges("Publish PUBLISH", "publish"), [0..7, 8..15]);
    // `İ` lower-cases to two characters; the range still covers whole characters.
    assert_eq!(match_ranges("xİy", "i\u{307}y"), vec![Range { start: 1, end: 4 }]);
    assert!(match_ranges("abc", "").is_empty());
    let mut out = Vec::new();
    highlight(Cow::Borrowed("read · Read"), Style::new(), "read", Style::new().fg(Color::Yellow), &mut out);
    let texts: Vec<&str> = out.iter().map(|(t, _)| t.as_ref()).collect();
    assert_eq!(texts, ["read", " · ", "Read"]);
}

#[test]
#[ignore = "prints timings; run in release"]
fn render_timings() {
    let mut t = ProfileTree::new(big(1000, 50));
    t.expand_all();
    t.select(200_000);
    t.scroll_into_view(50);
    let mut buf = Buffer::empty(Rect::new(0, 0, 200, 50));
    let start = std::time::Instant::now();
    for _ in 0..1000 {
        render_tree(&t, buf.area, &mut buf, &Theme::default(), true);
    }
    println!("render_tree 200x50, {} rows: {:.1} µs", t.len(), start.elapsed().as_secs_f64() * 1e3);
}
