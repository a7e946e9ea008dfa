//! Charts: pure data builders (`data`), an SVG renderer on plotters (`svg`), and the `Chart`
//! component that shows one in the page's theme with a download button and a data table (the
//! accessible reading of the chart, and the only place on-chain names appear).

pub mod data;
pub mod svg;

use leptos::prelude::*;

use crate::components::export::download;
use crate::format;
use crate::theme::use_theme;
use data::ChartData;

/// Size every chart is drawn at; CSS scales it to the column width (the SVG has a viewBox).
pub const CHART_SIZE: (u32, u32) = (640, 300);

/// The provenance line stamped into a chart's SVG.
pub fn stamp(block_number: u64, block_hash: &str) -> String {
    format!(
        "Taoscope · verified by light client · finalized {} · {}",
        format::block(block_number),
        format::short(block_hash)
    )
}

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
    }
}

fn value_heading(data: &ChartData) -> String {
    match data {
        ChartData::Bars { axis, .. } => axis.to_string(),
        ChartData::Scatter { x_axis, y_axis, .. } => format!("{} · {}", x_axis.0, y_axis.0),
    }
}

/// One chart: title, the SVG in the current theme, "SVG" download, and its data table.
#[component]
pub fn Chart(
    /// Caption.
    title: &'static str,
    /// Download file name without extension.
    file_stem: String,
    /// Block the data was read at.
    block_number: u64,
    /// That block's hash.
    block_hash: String,
    /// What to draw.
    data: ChartData,
) -> impl IntoView {
    let theme = use_theme();
    let stamp = stamp(block_number, &block_hash);
    let table = rows(&data);
    let heading = value_heading(&data);
    let data = StoredValue::new(data);
    let svg = Memo::new(move |_| {
        let dark = theme.is_dark.get();
        data.with_value(|d| svg::render(d, svg::Palette::for_theme(dark), CHART_SIZE, &stamp))
    });
    let save = move |_| {
        if let Ok(svg) = svg.get_untracked() {
            download(&format!("{file_stem}.svg"), "image/svg+xml", &svg);
        }
    };
    view! {
        <figure class="chart">
            <figcaption>
                <span class="chart-title">{title}</span>
                <button type="button" class="button" on:click=save aria-label=format!("Download “{title}” as SVG")>"SVG"</button>
            </figcaption>
            {move || match svg.get() {
                Ok(svg) => view! { <div class="chart-svg" role="img" aria-label=title inner_html=svg></div> }.into_any(),
                Err(error) => view! { <p class="chart-error">{error}</p> }.into_any(),
            }}
            <details class="chart-data">
                <summary>"Data table"</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">"Item"</th><th scope="col" class="num">{heading}</th></tr></thead>
                    <tbody>
                        {table.into_iter().map(|(name, value)| view! {
                            <tr><td class="name-cell" title=name.clone()>{name.clone()}</td><td class="num">{value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
