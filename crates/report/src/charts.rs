//! Charts as inline SVG (plotters), each beside the table that holds the same figures (the
//! table is the accessible form; the chart is named and described for a screen reader).

use plotters::prelude::*;

/// A chart: what it shows (its heading and a sentence for a screen reader) and its SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Its id in the page.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// What it shows, in words.
    pub description: String,
    /// The drawing.
    pub svg: String,
}

/// GOV.UK's blue on white: 4.5:1 and more.
const BAR: RGBColor = RGBColor(0x1d, 0x70, 0xb8);
const TEXT: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);
const LINE: RGBColor = RGBColor(0xd4, 0x35, 0x1c);

/// A bar a label; `line` draws a level across (the cap). `None` when there is nothing to draw.
pub fn bars(
    id: &'static str,
    title: &str,
    description: &str,
    unit: &str,
    labels: &[String],
    values: &[f64],
    line: Option<(f64, &str)>,
) -> Option<Figure> {
    if labels.is_empty() || labels.len() != values.len() {
        return None;
    }
    let top = values.iter().copied().chain(line.map(|l| l.0)).fold(0.0_f64, f64::max).max(1.0) * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 380)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let n = labels.len() as u32;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d((0..n).into_segmented(), 0.0..top)
            .ok()?;
        let label_style = ("sans-serif", 15).into_font().color(&TEXT);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(unit)
            .axis_desc_style(label_style.clone())
            .label_style(label_style)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .ok()?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let i = i as u32;
                let mut bar =
                    Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), *v)], BAR.filled());
                bar.set_margin(0, 0, 12, 12);
                bar
            }))
            .ok()?;
        if let Some((level, name)) = line {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(SegmentValue::Exact(0), level), (SegmentValue::Last, level)],
                    LINE.stroke_width(3),
                )))
                .ok()?
                .label(name)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], LINE.stroke_width(3)));
            chart
                .configure_series_labels()
                .background_style(WHITE)
                .border_style(TEXT)
                .label_font(("sans-serif", 15).into_font().color(&TEXT))
                .draw()
                .ok()?;
        }
        root.present().ok()?;
    }
    // Named and described for a screen reader; the table beside it has the same figures.
    let named = format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\" style=\"max-width:100%;height:auto\" viewBox=\"0 0 720 380\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    let body = svg.split_once('>').map(|(_, rest)| rest.to_owned())?;
    Some(Figure { id, title: title.to_owned(), description: description.to_owned(), svg: format!("{named}{body}") })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_inline_svg_named_and_described_with_a_bar_a_value() {
        let f = bars(
            "c",
            "Data",
            "Median data by cycle",
            "MB",
            &["Oct".into(), "Nov".into()],
            &[500.0, 300.0],
            Some((1024.0, "Cap")),
        )
        .expect("chart");
        assert!(f.svg.starts_with("<svg role=\"img\" aria-labelledby=\"c-title c-desc\""), "{}", &f.svg[..120]);
        assert!(f.svg.contains("<title id=\"c-title\">Data</title>") && f.svg.contains("Oct") && f.svg.contains("Cap"));
        assert!(f.svg.matches("<rect").count() >= 3, "two bars and the background");
        assert!(!f.svg.contains("http"), "nothing that could be fetched");
        assert!(bars("c", "t", "d", "u", &[], &[], None).is_none());
    }
}
