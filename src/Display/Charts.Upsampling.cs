using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

public static partial class Charts
{
    /// <summary>
    /// Matrices side by side on one colour scale, with square cells of the same size in every panel and each
    /// nonzero value written in its cell (zeros are left blank, so the pattern shows), row 0 at the top: for
    /// comparing a matrix with its transpose, whose shapes differ.
    /// </summary>
    /// <param name="panels">The titles and matrices, each a tensor of rank 2 (rows, columns).</param>
    /// <param name="cell">The side of one cell in pixels, from 8 to 80.</param>
    /// <param name="title">The title over all panels.</param>
    /// <returns>One chart about (total columns + gaps) · cell wide and (most rows) · cell high.</returns>
    /// <exception cref="ArgumentException">There is no panel, a matrix is not of rank 2, or the panels are more than 400 columns together.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cell size is out of its range.</exception>
    /// <example><code>Charts.Matrices([("C", convMatrix), ("ConvTranspose1d", transposedMatrix)])</code></example>
    public static GenericChart Matrices(IEnumerable<(string Title, Tensor Matrix)> panels, int cell = 36, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one panel, but panels is empty.", nameof(panels));
        if (cell < 8 || cell > 80)
        {
            throw new ArgumentOutOfRangeException(nameof(cell), cell, $"The cell size must be from 8 to 80 pixels, but cell is {cell}.");
        }
        foreach (var (name, matrix) in list)
        {
            ArgumentNullException.ThrowIfNull(matrix, nameof(panels));
            if (matrix.Rank != 2)
            {
                throw new ArgumentException(
                    $"Each matrix must have rank 2 (rows, columns), but panel '{name}' has shape {Tensor.ShapeText(matrix.Dims)}.", nameof(panels));
            }
            Guard.NotEmptyAlong(matrix, 2, nameof(panels), $"Panel '{name}'");
        }
        const double gap = 1.5;
        // Each panel takes the wider of its matrix and its title (about 7.5 pixels a character), in cells.
        double[] slots = list.Select(p => Math.Max(p.Matrix.Size(1), Math.Ceiling((p.Title ?? "").Length * 7.5 / cell))).ToArray();
        double totalColumns = slots.Sum() + gap * (list.Count - 1);
        if (totalColumns > 400)
        {
            throw new ArgumentException($"The panels must have at most 400 columns together to stay readable, but they have {totalColumns}.", nameof(panels));
        }
        int maxRows = list.Max(p => p.Matrix.Size(0));
        double low = list.Min(p => p.Matrix.ToArray().Min()), high = list.Max(p => p.Matrix.ToArray().Max());

        var traces = new List<GenericChart>();
        var titles = new List<object>();
        double offset = 0;
        for (int panel = 0; panel < list.Count; panel++)
        {
            var (name, matrix) = list[panel];
            int rows = matrix.Size(0), cols = matrix.Size(1);
            double left = offset + (slots[panel] - cols) / 2;
            ReadOnlySpan<float> data = matrix.Span;
            var z = new double[rows][];
            var text = new string[rows][];
            for (int r = 0; r < rows; r++)
            {
                z[r] = new double[cols];
                text[r] = new string[cols];
                for (int c = 0; c < cols; c++)
                {
                    z[r][c] = data[r * cols + c];
                    float v = data[r * cols + c];
                    text[r][c] = v == 0f ? "" : NumberText.Format(v, "G4");
                }
            }
            GC.KeepAlive(matrix);
            double[] x = Enumerable.Range(0, cols).Select(c => left + c).ToArray();
            double[] y = Enumerable.Range(0, rows).Select(r => (double)r).ToArray();
            GenericChart trace = PlotlyChart.Heatmap<double, double, double, string>(
                zData: z, X: x, Y: y, ColorScale: StyleParam.Colorscale.Viridis, ShowScale: false, XGap: 1, YGap: 1);
            trace = GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(t =>
            {
                t.SetProperty("text", text);
                t.SetProperty("texttemplate", "%{text}");
                t.SetProperty("hovertemplate", $"{name}<br>row %{{y}}, column %{{customdata}}<br>%{{z}}<extra></extra>");
                t.SetProperty("customdata", Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).ToArray()).ToArray());
                t.SetProperty("zmin", low);
                t.SetProperty("zmax", high);
                return t;
            }), trace);
            traces.Add(trace);
            titles.Add(new
            {
                text = name ?? "",
                x = left + (cols - 1) / 2.0,
                y = 1,
                xref = "x",
                yref = "paper",
                yanchor = "bottom",
                showarrow = false,
                font = new { size = 13 },
            });
            offset += slots[panel] + gap;
        }

        int top = title is null ? 40 : 76;
        GenericChart chart = PlotlyChart.Combine(traces);
        chart = GenericChart.mapLayout(FuncConvert.FromFunc<Layout, Layout>(layout =>
        {
            layout.SetProperty("xaxis", new { visible = false, range = new[] { -0.5, totalColumns - 0.5 }, fixedrange = true });
            // Equal x and y scales make every cell square; the reversed range puts row 0 at the top.
            layout.SetProperty("yaxis", new
            {
                visible = false,
                range = new[] { maxRows - 0.5, -0.5 },
                scaleanchor = "x",
                scaleratio = 1,
                fixedrange = true,
            });
            layout.SetProperty("annotations", titles);
            layout.SetProperty("margin", new { l = 10, r = 10, t = top, b = 10 });
            layout.SetProperty("plot_bgcolor", "rgba(0,0,0,0)");
            return layout;
        }), chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart,
            (int)Math.Ceiling(totalColumns * cell) + 20, maxRows * cell + top + 10);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>
    /// Puts every heatmap of a chart on one colour range, so that panels drawn by <see cref="Heatmaps"/> can be
    /// compared by colour: by default each panel stretches its own range, which makes tiny noise look like a pattern.
    /// Each panel's colour bar then shows the common range.
    /// </summary>
    /// <param name="chart">A chart of heatmaps, such as one from <see cref="Heatmaps"/> or <see cref="Heatmap(Tensor, string?, int, bool?)"/>.</param>
    /// <param name="min">The value drawn with the lowest colour.</param>
    /// <param name="max">The value drawn with the highest colour, above <paramref name="min"/>.</param>
    /// <returns>The chart with the range set on each trace.</returns>
    /// <exception cref="ArgumentException">The range is empty or not finite.</exception>
    /// <example><code>Charts.WithColorRange(Charts.Heatmaps(panels), 0, 2)</code></example>
    public static GenericChart WithColorRange(GenericChart chart, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (!double.IsFinite(min) || !double.IsFinite(max) || min >= max)
        {
            throw new ArgumentException($"The colour range must be finite with min below max, but it is [{min}, {max}].", nameof(max));
        }
        return GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            trace.SetProperty("zmin", min);
            trace.SetProperty("zmax", max);
            return trace;
        }), chart);
    }
}
