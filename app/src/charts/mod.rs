//! Charts: pure data builders (`data`), an SVG renderer on plotters (`svg`), and the `Chart`
//! component that shows one in the page's theme with a download button and a data table (the
//! accessible reading of the chart, and the only place on-chain names appear), plus the "Embed"
//! dialog offering the chart's iframe snippet (`snippet`).

pub mod data;
pub mod snippet;
pub mod svg;

use leptos::prelude::*;

use crate::components::export::download;
use crate::data::provenance::{ChartStamp, history_stamp};
use crate::names::shown;
use crate::theme::use_theme;
use data::ChartData;
use snippet::{FRAME_EXTRA_HEIGHT, SnippetOptions, embed_url, iframe_snippet};

/// Size every chart is drawn at; CSS scales it to the column width (the SVG has a viewBox).
pub const CHART_SIZE: (u32, u32) = (640, 300);

fn rows(data: &ChartData) -> Vec<(String, String)> {
    match data {
        ChartData::Bars { bars, scale, .. } => bars.iter().map(|b| (b.name.clone(), scale.text(b.value))).collect(),
        ChartData::Scatter { points, x_axis, y_axis } => points
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    format!("{} · {}", x_axis.1.text(p.x), y_axis.1.text(p.y)),
                )
            })
            .collect(),
        ChartData::Series { points, scale, .. } => points
            .iter()
            .map(|p| {
                let block = crate::format::block(p.block);
                let name = if p.imported {
                    format!("{block} (imported)")
                } else {
                    block
                };
                (name, scale.text(p.value))
            })
            .collect(),
    }
}

fn value_heading(data: &ChartData) -> String {
    match data {
        ChartData::Bars { axis, .. } => axis.to_string(),
        ChartData::Scatter { x_axis, y_axis, .. } => format!("{} · {}", x_axis.0, y_axis.0),
        ChartData::Series { axis, .. } => axis.to_string(),
    }
}

/// The stamp of a chart of recorded history: its first and last block and how many of its
/// points were imported.
pub fn history_chart_stamp(data: &ChartData) -> ChartStamp {
    let points: &[data::SeriesPoint] = match data {
        ChartData::Series { points, .. } => points,
        _ => &[],
    };
    history_stamp(
        points.first().map_or(0, |p| p.block),
        points.last().map_or(0, |p| p.block),
        points.iter().filter(|p| p.imported).count(),
    )
}

thread_local! {
    /// Whether this page has drawn its first charts (see [`Chart`]).
    static FIRST_CHARTS_DRAWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One chart: title, the SVG in the current theme, "SVG" download, and its data table.
#[component]
pub fn Chart(
    /// Caption.
    title: &'static str,
    /// What the chart shows, in its download's file name (`emission-share`, `sn1-incentive`).
    file_topic: String,
    /// Where the data comes from: stamped into the SVG and its file name.
    stamp: ChartStamp,
    /// What to draw.
    data: ChartData,
    /// Drawing size (default `CHART_SIZE`).
    #[prop(default = None)]
    size: Option<(u32, u32)>,
    /// Accent colour replacing the theme's.
    #[prop(default = None)]
    accent: Option<(u8, u8, u8)>,
    /// The embed route showing this chart, and whether it takes a "top N" option: adds an
    /// "Embed" button.
    #[prop(default = None)]
    embed: Option<(String, bool)>,
) -> impl IntoView {
    let theme = use_theme();
    let file_stem = format!("taoscope-{file_topic}-{}", stamp.file_suffix);
    let stamp = stamp.text;
    let table = rows(&data);
    let heading = value_heading(&data);
    let item_heading = if matches!(data, ChartData::Series { .. }) {
        "Block"
    } else {
        "Item"
    };
    let data = StoredValue::new(data);
    let svg = Memo::new(move |_| {
        let dark = theme.is_dark.get();
        let palette = svg::Palette::for_theme(dark);
        let palette = accent.map(|a| palette.with_accent(a)).unwrap_or(palette);
        data.with_value(|d| svg::render(d, palette, size.unwrap_or(CHART_SIZE), &stamp))
    });
    let save = move |_| {
        if let Ok(svg) = svg.get_untracked() {
            download(&format!("{file_stem}.svg"), "image/svg+xml", &svg);
        }
    };
    let embed_open = RwSignal::new(false);
    let has_embed = embed.is_some();
    // The page's first charts are drawn a task after the rest of the first view: parsing and
    // laying out their SVG in the same task as the tables made that view one long task (README
    // "Performance"). Later charts draw at once, so a refresh never shows an empty frame.
    let drawn = RwSignal::new(FIRST_CHARTS_DRAWN.get());
    if !drawn.get_untracked() {
        set_timeout(
            move || {
                FIRST_CHARTS_DRAWN.set(true);
                drawn.set(true);
            },
            std::time::Duration::ZERO,
        );
    }
    view! {
        <figure class="chart">
            <figcaption>
                <span class="chart-title">{title}</span>
                <span class="chart-actions">
                    {has_embed.then(|| view! {
                        <button type="button" class="button" aria-expanded=move || embed_open.get().to_string()
                            on:click=move |_| embed_open.update(|open| *open = !*open)>"Embed"</button>
                    })}
                    <button type="button" class="button" on:click=save aria-label=format!("Download “{title}” as SVG")>"SVG"</button>
                </span>
            </figcaption>
            {embed.map(|(path, top)| view! {
                <Show when=move || embed_open.get()>
                    <EmbedDialog title=title path=path.clone() top=top on_close=Callback::new(move |_| embed_open.set(false))/>
                </Show>
            })}
            {move || match drawn.get().then(|| svg.get()) {
                None => {
                    let (width, height) = size.unwrap_or(CHART_SIZE);
                    view! { <div class="chart-svg" style=format!("aspect-ratio: {width} / {height}")></div> }.into_any()
                }
                Some(Ok(svg)) => view! { <div class="chart-svg" role="img" aria-label=title inner_html=svg></div> }.into_any(),
                Some(Err(error)) => view! { <p class="chart-error">{error}</p> }.into_any(),
            }}
            <details class="chart-data">
                <summary>"Data table"</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">{item_heading}</th><th scope="col" class="num">{heading}</th></tr></thead>
                    <tbody>
                        {table.into_iter().map(|(name, value)| view! {
                            <tr><td class="name-cell" title=name.clone()><bdi>{shown(&name)}</bdi></td><td class="num">{value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// The "Embed" panel: options, the iframe snippet to copy, and a live preview.
#[component]
fn EmbedDialog(title: &'static str, path: String, top: bool, on_close: Callback<()>) -> impl IntoView {
    let site = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let theme = RwSignal::new("auto".to_string());
    let width = RwSignal::new(CHART_SIZE.0);
    let height = RwSignal::new(CHART_SIZE.1);
    let top_n = RwSignal::new(10usize);
    let accent = RwSignal::new(String::new());
    let origin = RwSignal::new(String::new());
    let options = Memo::new(move |_| SnippetOptions {
        theme: theme.get(),
        size: (width.get().clamp(200, 2000), height.get().clamp(120, 1200)),
        top: top.then(|| top_n.get().clamp(1, 64)),
        accent: accent.get(),
        origin: origin.get(),
    });
    let (site_for_snippet, path_for_snippet) = (site.clone(), path.clone());
    let snippet = Memo::new(move |_| iframe_snippet(&site_for_snippet, &path_for_snippet, title, &options.get()));
    let preview = Memo::new(move |_| embed_url("", &path, &options.get()));
    let copied = RwSignal::new(None::<Result<(), String>>);
    let copy = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = crate::components::export::copy_to_clipboard(&snippet.get_untracked()).await;
            copied.set(Some(outcome));
        });
    };
    let number = |signal: RwSignal<u32>| {
        move |event: leptos::ev::Event| {
            if let Ok(value) = event_target_value(&event).trim().parse() {
                signal.set(value);
            }
        }
    };
    view! {
        <div class="embed-dialog" role="dialog" aria-label=format!("Embed “{title}”")>
            <div class="filters">
                <label>"Theme"
                    <select prop:value=move || theme.get() on:change=move |e| theme.set(event_target_value(&e))>
                        <option value="auto">"Auto"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                    </select>
                </label>
                <label>"Width"<input type="number" min="200" max="2000" prop:value=move || width.get().to_string() on:change=number(width)/></label>
                <label>"Height"<input type="number" min="120" max="1200" prop:value=move || height.get().to_string() on:change=number(height)/></label>
                {top.then(|| view! {
                    <label>"Top N"<input type="number" min="1" max="64" prop:value=move || top_n.get().to_string()
                        on:change=move |e| if let Ok(n) = event_target_value(&e).trim().parse() { top_n.set(n) }/></label>
                })}
                <label>"Accent (hex)"<input type="text" placeholder="0f766e" maxlength="7" prop:value=move || accent.get() on:change=move |e| accent.set(event_target_value(&e))/></label>
                <label>"Your site's origin"<input type="url" placeholder="https://example.org" prop:value=move || origin.get() on:change=move |e| origin.set(event_target_value(&e))/></label>
            </div>
            <label class="snippet-label">"Paste this into your page:"
                <textarea readonly rows="3" class="snippet mono">{move || snippet.get()}</textarea>
            </label>
            <div class="embed-dialog-actions">
                <button type="button" class="button" on:click=copy>{move || match copied.get() {
                    Some(Ok(())) => "Copied".to_string(),
                    Some(Err(why)) => format!("Not copied: {why}"),
                    None => "Copy snippet".to_string(),
                }}</button>
                <button type="button" class="button" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <p class="muted">"Preview (runs its own light client):"</p>
            <iframe class="embed-preview" src=move || preview.get() title=format!("Preview of “{title}”")
                width=move || (options.get().size.0 + 16).to_string() height=move || (options.get().size.1 + FRAME_EXTRA_HEIGHT).to_string()></iframe>
        </div>
    }
}
