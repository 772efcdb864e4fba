using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

/// <summary>
/// The few Plotly.NET charts that the notebooks draw, with the choices made once: row 0 at the top of an
/// image, square cells, a title. Each returns a Plotly.NET <see cref="GenericChart"/>, which a notebook cell
/// shows by returning it.
/// </summary>
/// <example><code>Charts.Heatmap(Padding.Pad(image, [2, 2, 2, 2], PaddingMode.Reflect), "reflect")</code></example>
public static partial class Charts
{
    /// <summary>An image-like tensor as a heatmap, row 0 at the top.</summary>
    /// <param name="image">A tensor whose dimensions before the last two are all 1, such as (H, W) or (1, 1, H, W).</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="size">The width and height in pixels.</param>
    /// <example><code>Charts.Heatmap(Tensor.Randn(0, 16, 16), "noise")</code></example>
    public static GenericChart Heatmap(Tensor image, string? title = null, int size = 360)
    {
        GenericChart chart = ImageTrace(Rows(image, nameof(image)), showScale: true);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, size, size);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>Several image-like tensors side by side, each under its title, for comparing them.</summary>
    /// <param name="panels">The titles and images.</param>
    /// <param name="columns">How many panels per row.</param>
    /// <param name="title">The title over all panels.</param>
    /// <example><code>Charts.Heatmaps([("zeros", a), ("reflect", b)], columns: 2)</code></example>
    public static GenericChart Heatmaps(IEnumerable<(string Title, Tensor Image)> panels, int columns = 3, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one panel, but panels is empty.", nameof(panels));
        Guard.AtLeastOne(columns, nameof(columns), "number of columns");
        int cols = Math.Min(columns, list.Count);
        int gridRows = (list.Count + cols - 1) / cols;
        var charts = list.Select((p, i) => ImageTrace(Rows(p.Image, nameof(panels)), showScale: i == list.Count - 1)).ToArray();
        GenericChart grid = PlotlyChart.Grid(charts, gridRows, cols, SubPlotTitles: list.Select(p => p.Title).ToArray());
        // Panels shrink so that a row fits the width of a notebook or report page.
        int panel = Math.Min(300, 780 / cols);
        grid = Plotly.NET.CSharp.GenericChartExtensions.WithSize(grid, panel * cols, panel * gridRows + (title is null ? 40 : 80));
        return title is null ? grid : Chart.withTitle(title, null).Invoke(grid);
    }

    /// <summary>A table of numbers as a heatmap with named rows and columns, such as output sizes over a sweep.</summary>
    /// <param name="values">The values, rows × columns.</param>
    /// <param name="columnLabels">One label per column, shown along the x axis.</param>
    /// <param name="rowLabels">One label per row, shown along the y axis, first row at the top.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <example><code>Charts.Heatmap(sizes, ["s=1", "s=2"], ["p=0", "p=1"], "output width", "stride", "padding")</code></example>
    public static GenericChart Heatmap(double[,] values, IReadOnlyList<string> columnLabels, IReadOnlyList<string> rowLabels,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(rowLabels);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows == 0 || cols == 0) throw new ArgumentException("The table must have at least one row and one column.", nameof(values));
        if (columnLabels.Count != cols)
            throw new ArgumentException($"There must be one column label per column ({cols}), but columnLabels has {columnLabels.Count}.", nameof(columnLabels));
        if (rowLabels.Count != rows)
            throw new ArgumentException($"There must be one row label per row ({rows}), but rowLabels has {rowLabels.Count}.", nameof(rowLabels));
        var z = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            z[r] = new double[cols];
            for (int c = 0; c < cols; c++) z[r][c] = values[r, c];
        }
        GenericChart chart = TopDown(z, columnLabels.ToArray(), rowLabels.ToArray(), showScale: true);
        if (xTitle is not null) chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<int, int, string>(chart, TitleText: xTitle);
        if (yTitle is not null) chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<int, int, string>(chart, TitleText: yTitle);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, Math.Max(360, 60 * cols + 160), Math.Max(300, 40 * rows + 160));
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    private static GenericChart ImageTrace(double[][] rows, bool showScale) =>
        TopDown(rows,
            Enumerable.Range(0, rows[0].Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            Enumerable.Range(0, rows.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            showScale);

    /// <summary>
    /// A heatmap with its first row at the top. Plotly draws the first row at the bottom, and a reversed axis does
    /// not carry into grid subplots, so the rows and their labels are handed over bottom row first.
    /// </summary>
    private static GenericChart TopDown(double[][] rows, string[] columnLabels, string[] rowLabels, bool showScale)
    {
        double[][] bottomUp = rows.Reverse().ToArray();
        string[] labels = rowLabels.Reverse().ToArray();
        return PlotlyChart.Heatmap<double, string, string, string>(
            zData: bottomUp,
            X: columnLabels,
            Y: labels,
            ColorScale: StyleParam.Colorscale.Viridis,
            ShowScale: showScale);
    }

    /// <summary>The rows of an image-like tensor, checking that only its last two dimensions exceed 1.</summary>
    private static double[][] Rows(Tensor image, string paramName)
    {
        ArgumentNullException.ThrowIfNull(image, paramName);
        int[] shape = image.Shape;
        for (int d = 0; d < shape.Length - 2; d++)
        {
            if (shape[d] != 1)
            {
                throw new ArgumentException(
                    $"An image must have size 1 in every dimension before the last two, but {paramName} has shape {Tensor.ShapeText(shape)}; select one channel first.", paramName);
            }
        }
        int height = shape.Length >= 2 ? shape[^2] : 1, width = shape[^1];
        ReadOnlySpan<float> data = image.Span;
        var rows = new double[height][];
        for (int r = 0; r < height; r++)
        {
            rows[r] = new double[width];
            for (int c = 0; c < width; c++) rows[r][c] = data[r * width + c];
        }
        return rows;
    }
}
