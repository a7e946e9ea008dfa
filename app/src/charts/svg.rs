//! Draws `ChartData` as an SVG document with plotters' SVG backend, in the light or dark palette,
//! with the block it describes stamped along the bottom (so a downloaded chart keeps its
//! provenance). Pure: a string out; plotters escapes every text it writes.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::data::{Bar, ChartData, Point, Scale, SeriesPoint};

/// Colours of one theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    accent: RGBColor,
    muted: RGBColor,
}

impl Palette {
    /// The palette matching the app's light or dark theme (styles/main.css tokens).
    pub fn for_theme(dark: bool) -> Palette {
        if dark {
            Palette {
                background: RGBColor(0x16, 0x1b, 0x22),
                text: RGBColor(0xe6, 0xed, 0xf3),
                grid: RGBColor(0x2a, 0x31, 0x3c),
                accent: RGBColor(0x2d, 0xd4, 0xbf),
                muted: RGBColor(0x9a, 0xa5, 0xb1),
            }
        } else {
            Palette {
                background: RGBColor(0xff, 0xff, 0xff),
                text: RGBColor(0x14, 0x18, 0x1f),
                grid: RGBColor(0xdf, 0xe3, 0xe8),
                accent: RGBColor(0x0f, 0x76, 0x6e),
                muted: RGBColor(0x5b, 0x65, 0x74),
            }
        }
    }

    /// With the accent replaced (embeds may choose theirs).
    pub fn with_accent(mut self, (r, g, b): (u8, u8, u8)) -> Palette {
        self.accent = RGBColor(r, g, b);
        self
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn failed(error: impl std::fmt::Display) -> String {
    format!("the chart could not be drawn: {error}")
}

/// Renders `data` at `width`×`height` pixels with `stamp` (e.g. "Taoscope · verified · #123 · 0x…")
/// written in the bottom line.
pub fn render(data: &ChartData, palette: Palette, (width, height): (u32, u32), stamp: &str) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&palette.background).map_err(failed)?;
        let (plot, footer) = root.split_vertically(height.saturating_sub(20));
        footer
            .draw_text(stamp, &("sans-serif", 11).into_font().color(&palette.muted), (8, 4))
            .map_err(failed)?;
        match data {
            _ if data.is_empty() => {
                plot.draw_text(
                    "No data at this block",
                    &("sans-serif", 14).into_font().color(&palette.muted),
                    (16, 16),
                )
                .map_err(failed)?;
            }
            ChartData::Bars { bars, scale, axis } => draw_bars(&plot, palette, bars, *scale, axis)?,
            ChartData::Scatter { points, x_axis, y_axis } => draw_scatter(&plot, palette, points, *x_axis, *y_axis)?,
            ChartData::Series { points, scale, axis } => draw_series(&plot, palette, points, *scale, axis)?,
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

fn label_style(palette: Palette) -> TextStyle<'static> {
    ("sans-serif", 11).into_font().color(&palette.text)
}

/// The theme's axis, grid and label styles on a chart's mesh (minor grid lines hidden).
fn themed<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    palette: Palette,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.axis_style(palette.grid)
        .bold_line_style(palette.grid)
        .light_line_style(RGBAColor(0, 0, 0, 0.0))
        .label_style(label_style(palette))
        .axis_desc_style(label_style(palette))
}

fn draw_bars(area: &Area, palette: Palette, bars: &[Bar], scale: Scale, axis: &str) -> Result<(), String> {
    let count = bars.len() as u32;
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1e-9) * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        // A segmented 0..n range has n + 1 segments: 0..count - 1 gives one per bar.
        .build_cartesian_2d((0..count.saturating_sub(1)).into_segmented(), 0.0..top)
        .map_err(failed)?;
    let label_of = |value: &SegmentValue<u32>| match value {
        SegmentValue::CenterOf(i) => bars.get(*i as usize).map(|b| b.label.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    themed(&mut chart.configure_mesh(), palette)
        .disable_x_mesh()
        .x_labels(bars.len().min(14))
        .x_label_formatter(&label_of)
        .y_labels(5)
        .y_label_formatter(&|v| scale.text(*v))
        .y_desc(axis)
        .draw()
        .map_err(failed)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, bar)| {
            let i = i as u32;
            let mut rect = Rectangle::new(
                [(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), bar.value)],
                palette.accent.filled(),
            );
            rect.set_margin(0, 0, 2, 2);
            rect
        }))
        .map_err(failed)?;
    Ok(())
}

/// A padded range around `values` (a flat range gets room on both sides).
fn padded_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !low.is_finite() || !high.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((high - low) * 0.08).max(high.abs() * 0.05).max(1e-9);
    low - pad..high + pad
}

/// The vertical range of a series: padded, never below 0 for a figure that never is, and with
/// room for labels when flat (a flat 0 reads 0 to 1 %, not rounded-away ticks).
fn series_range(values: impl Iterator<Item = f64> + Clone) -> std::ops::Range<f64> {
    let (low, high) = values
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !low.is_finite() || !high.is_finite() {
        return 0.0..1.0;
    }
    let range = if high - low < high.abs().max(1e-12) * 1e-6 {
        let pad = (high.abs() * 0.05).max(0.01);
        low - pad..high + pad
    } else {
        padded_range(values)
    };
    if low >= 0.0 {
        range.start.max(0.0)..range.end
    } else {
        range
    }
}

fn draw_scatter(
    area: &Area,
    palette: Palette,
    points: &[Point],
    (x_title, x_scale): (&str, Scale),
    (y_title, y_scale): (&str, Scale),
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(
            padded_range(points.iter().map(|p| p.x)),
            padded_range(points.iter().map(|p| p.y)),
        )
        .map_err(failed)?;
    themed(&mut chart.configure_mesh(), palette)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| x_scale.text(*v))
        .y_label_formatter(&|v| y_scale.text(*v))
        .x_desc(x_title)
        .y_desc(y_title)
        .draw()
        .map_err(failed)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.x, p.y), 4, palette.accent.mix(0.75).filled())),
        )
        .map_err(failed)?;
    Ok(())
}

/// A line through the points over their blocks; imported points drawn as hollow rings.
fn draw_series(area: &Area, palette: Palette, points: &[SeriesPoint], scale: Scale, axis: &str) -> Result<(), String> {
    let first = points.first().map_or(0, |p| p.block);
    let last = points.last().map_or(1, |p| p.block).max(first + 1);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(76)
        .build_cartesian_2d(first..last, series_range(points.iter().map(|p| p.value)))
        .map_err(failed)?;
    themed(&mut chart.configure_mesh(), palette)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|block| crate::format::block(*block))
        .y_label_formatter(&|v| scale.text(*v))
        .x_desc("Finalized block")
        .y_desc(axis)
        .draw()
        .map_err(failed)?;
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.block, p.value)),
            palette.accent.stroke_width(2),
        ))
        .map_err(failed)?;
    chart
        .draw_series(points.iter().map(|p| {
            let style = if p.imported {
                palette.muted.stroke_width(2)
            } else {
                palette.accent.filled()
            };
            Circle::new((p.block, p.value), 3, style)
        }))
        .map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> ChartData {
        ChartData::Bars {
            bars: vec![
                Bar {
                    label: "SN1".into(),
                    name: "<script>alert(1)</script>".into(),
                    value: 0.6,
                },
                Bar {
                    label: "SN2".into(),
                    name: "two".into(),
                    value: 0.4,
                },
            ],
            scale: Scale::Percent,
            axis: "Share",
        }
    }

    #[test]
    fn bars_render_with_labels_stamp_and_theme() {
        let svg = render(&bars(), Palette::for_theme(false), (480, 240), "Taoscope · #42 · 0xabc").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("SN1") && svg.contains("SN2"));
        assert!(svg.contains("#42"), "the block is stamped in the file");
        assert!(svg.contains("#0F766E") || svg.contains("#0f766e"), "light accent");
        assert!(!svg.contains("<script"), "names never reach the SVG");
        let dark = render(&bars(), Palette::for_theme(true), (480, 240), "x").unwrap();
        assert!(dark.contains("#161B22") || dark.contains("#161b22"), "dark background");
    }

    #[test]
    fn stamps_are_escaped_and_empty_charts_say_so() {
        let empty = ChartData::Scatter {
            points: vec![],
            x_axis: ("x", Scale::Fraction),
            y_axis: ("y", Scale::Fraction),
        };
        let svg = render(&empty, Palette::for_theme(false), (300, 200), "a <b> & c").unwrap();
        assert!(svg.contains("No data at this block"));
        assert!(svg.contains("a &lt;b&gt; &amp; c"), "{svg}");
    }

    #[test]
    fn series_draw_a_line_over_blocks() {
        let series = ChartData::Series {
            points: [(100, 0.5, false), (110, 0.6, true), (120, 0.55, false)]
                .into_iter()
                .map(|(block, value, imported)| SeriesPoint { block, value, imported })
                .collect(),
            scale: Scale::Fraction,
            axis: "Price",
        };
        let svg = render(&series, Palette::for_theme(false), (480, 240), "stamp").unwrap();
        assert!(svg.contains("<polyline"), "a line");
        assert!(
            svg.contains("#100") && svg.contains("Finalized block"),
            "blocks on the axis"
        );
    }

    #[test]
    fn scatter_ranges_include_every_point() {
        let range = padded_range([0.5, 2.0, 1.0].into_iter());
        assert!(range.start <= 0.5 && range.end >= 2.0);
        let flat = padded_range([3.0, 3.0].into_iter());
        assert!(flat.start < 3.0 && flat.end > 3.0);
        assert_eq!(padded_range(std::iter::empty()), 0.0..1.0);
        assert_eq!(
            series_range([0.0, 0.0].into_iter()),
            0.0..0.01,
            "a flat zero gets room above"
        );
        let flat = series_range([2.0, 2.0].into_iter());
        assert!(flat.start < 2.0 && flat.end > 2.0 && flat.end - flat.start >= 0.2);
        assert!(
            series_range([0.1, 0.5].into_iter()).start >= 0.0,
            "no negative axis for a positive figure"
        );
    }
}
