using Microsoft.FSharp.Core;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

/// <summary>
/// The few Plotly.NET charts that the notebooks draw, with the choices made once: row 0 at the top of an
/// image, square cells, a colour bar beside each heatmap on its own range, values written in cells that hold
/// them, level tick labels, a title. Each returns a Plotly.NET <see cref="GenericChart"/>, which a notebook
/// cell shows by returning it.
/// </summary>
/// <example><code>Charts.Heatmap(Padding.Pad(image, [2, 2, 2, 2], PaddingMode.Reflect), "reflect")</code></example>
public static partial class Charts
{
    /// <summary>The width of a chart of several panels, which fits a notebook or report page.</summary>
    private const int PageWidth = 840;

    /// <summary>
    /// An image-like tensor as a heatmap, row 0 at the top, with square cells, a colour bar and, where the
    /// cells are big enough, each cell's value written in it.
    /// </summary>
    /// <param name="image">A tensor whose dimensions before the last two are all 1, such as (H, W) or (1, 1, H, W).</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="size">The width in pixels, from 160 to 2000; the height follows from the image's shape.</param>
    /// <param name="showValues">
    /// Whether to write the values in the cells: null writes them when they fit, true and false force it.
    /// Integers print as integers; other values with the decimals that give the largest magnitude three
    /// significant digits (two where three do not fit), trailing zeros dropped.
    /// </param>
    /// <example><code>Charts.Heatmap(Tensor.Arange(16).Reshape(4, 4), "4 × 4 input")</code></example>
    public static GenericChart Heatmap(Tensor image, string? title = null, int size = 420, bool? showValues = null)
    {
        if (size < 160 || size > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The size must be from 160 to 2000 pixels, but size is {size}.");
        }
        double[][] rows = Rows(image, nameof(image));
        Panel panel = ImagePanel(null, rows);
        Chrome chrome = Measure([panel], null, null);
        double box = Math.Max(40, size - chrome.Width - 2 * Margin);
        return Draw([Fit(panel, box, box)], 1, chrome, title, null, null, showValues);
    }

    /// <summary>
    /// Several image-like tensors side by side, each under its title, with square cells, its own colour scale
    /// and colour bar (panels of different ranges do not share one), and each cell's value written in it where
    /// the cells are big enough.
    /// </summary>
    /// <param name="panels">The titles and images.</param>
    /// <param name="columns">
    /// The most panels per row: fewer when the panels would be smaller than 160 pixels in a page-wide chart.
    /// </param>
    /// <param name="title">The title over all panels.</param>
    /// <param name="showValues">
    /// Whether to write the values in the cells: null writes them in each panel whose cells hold them, true and
    /// false force it.
    /// </param>
    /// <example><code>Charts.Heatmaps([("zeros", a), ("reflect", b)], columns: 2)</code></example>
    public static GenericChart Heatmaps(IEnumerable<(string Title, Tensor Image)> panels, int columns = 3, string? title = null,
        bool? showValues = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var list = panels.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one panel, but panels is empty.", nameof(panels));
        Guard.AtLeastOne(columns, nameof(columns), "number of columns");
        Panel[] images = list.Select(p => ImagePanel(p.Title, Rows(p.Image, nameof(panels)))).ToArray();
        Chrome chrome = Measure(images, null, null);
        int cols = Math.Min(columns, images.Length);
        double box = Box(cols);
        while (cols > 1 && box < 160) box = Box(--cols);
        return Draw(images.Select(p => Fit(p, box, box)).ToArray(), cols, chrome, title, null, null, showValues);

        double Box(int n) => Math.Min(320, (PageWidth - 2 * Margin) / n - chrome.Width);
    }

    /// <summary>
    /// A table of numbers as a heatmap with named rows and columns, such as output sizes over a sweep, each
    /// cell's value written in it where the cells are big enough.
    /// </summary>
    /// <param name="values">The values, rows × columns.</param>
    /// <param name="columnLabels">One label per column, shown along the x axis.</param>
    /// <param name="rowLabels">One label per row, shown along the y axis, first row at the top.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="showValues">Whether to write the values in the cells: null writes them when they fit.</param>
    /// <example><code>Charts.Heatmap(sizes, ["s=1", "s=2"], ["p=0", "p=1"], "output width", "stride", "padding")</code></example>
    public static GenericChart Heatmap(double[,] values, IReadOnlyList<string> columnLabels, IReadOnlyList<string> rowLabels,
        string? title = null, string? xTitle = null, string? yTitle = null, bool? showValues = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(rowLabels);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows == 0 || cols == 0) throw new ArgumentException($"The table must have at least one row and one column, but values is {rows} × {cols}.", nameof(values));
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
        var panel = new Panel(null, z, columnLabels.ToArray(), rowLabels.ToArray(), 0, 0);
        Chrome chrome = Measure([panel], xTitle, yTitle);
        // Cells wide enough for their value or their column label, narrower when the table would not fit the page.
        int widest = Math.Max(Texts(panel).Max(t => t.Length), panel.X.Max(l => l.Length));
        double cellWidth = Math.Clamp(widest * CharWidth + 16, 60, 120);
        cellWidth = Math.Min(cellWidth, (PageWidth - 2 * Margin - chrome.Width) / cols);
        double cellHeight = Math.Min(40, 480.0 / rows);
        return Draw([panel with { CellWidth = cellWidth, CellHeight = cellHeight }], 1, chrome, title, xTitle, yTitle, showValues);
    }

    /// <summary>One heatmap of a chart: its title, values (first row at the top), axis labels and cell size in pixels.</summary>
    private sealed record Panel(string? Title, double[][] Z, string[] X, string[] Y, double CellWidth, double CellHeight)
    {
        public double Width => CellWidth * X.Length;
        public double Height => CellHeight * Y.Length;
    }

    /// <summary>The room around each panel in pixels: left for the row labels, right for the colour bar, above, below.</summary>
    private sealed record Chrome(double Left, double Right, double Top, double Bottom)
    {
        public double Width => Left + Right;
    }

    private const double Margin = 8, CharWidth = 6.5, TickFont = 11, BarGap = 8, BarThickness = 12, PanelGap = 14;

    private static Panel ImagePanel(string? title, double[][] rows) =>
        new(title, rows,
            Enumerable.Range(0, rows[0].Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            Enumerable.Range(0, rows.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            0, 0);

    /// <summary>The panel with square cells, as large as fits a box of the given width and height.</summary>
    private static Panel Fit(Panel panel, double width, double height)
    {
        double cell = Math.Min(width / panel.X.Length, height / panel.Y.Length);
        return panel with { CellWidth = cell, CellHeight = cell };
    }

    private static Chrome Measure(IReadOnlyList<Panel> panels, string? xTitle, string? yTitle)
    {
        int rowLabel = panels.Max(p => p.Y.Max(l => l.Length));
        // The colour bar's tick labels are about as long as the panel's extreme values.
        int barLabel = Math.Max(4, panels.Max(p => { var (low, high) = Range(p.Z); return Math.Max(Axis(low).Length, Axis(high).Length); }));
        return new Chrome(
            Left: rowLabel * CharWidth + 10 + (yTitle is null ? 0 : 20),
            Right: BarGap + BarThickness + 6 + barLabel * CharWidth + PanelGap,
            Top: panels.Any(p => !string.IsNullOrEmpty(p.Title)) ? 26 : 6,
            Bottom: 22 + (xTitle is null ? 0 : 22));

        static string Axis(double v) => NumberText.Compact(v, Math.Abs(v));
    }

    /// <summary>
    /// The panels in a grid, each heatmap on its own pair of axes placed in pixels, with its colour bar beside it
    /// on its own range. Plotly draws the first z row at the bottom, so each panel's rows and row labels are handed
    /// over bottom row first.
    /// </summary>
    private static GenericChart Draw(IReadOnlyList<Panel> panels, int columns, Chrome chrome, string? title,
        string? xTitle, string? yTitle, bool? showValues)
    {
        int gridRows = (panels.Count + columns - 1) / columns;
        double slotWidth = chrome.Left + panels.Max(p => p.Width) + chrome.Right;
        double slotHeight = chrome.Top + panels.Max(p => p.Height) + chrome.Bottom;
        double top = title is null ? 20 : 48;
        double width = Math.Ceiling(2 * Margin + columns * slotWidth), height = Math.Ceiling(top + Margin + gridRows * slotHeight);
        double paperWidth = width - 2 * Margin, paperHeight = height - top - Margin;
        double PaperX(double px) => (px - Margin) / paperWidth;
        double PaperY(double py) => 1 - (py - top) / paperHeight;

        var traces = new List<GenericChart>();
        var axes = new List<(string Name, object Axis)>();
        var annotations = new List<object>();
        for (int i = 0; i < panels.Count; i++)
        {
            Panel panel = panels[i];
            string suffix = i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            double left = Margin + (i % columns) * slotWidth + chrome.Left, right = left + panel.Width;
            double upper = top + (i / columns) * slotHeight + chrome.Top, lower = upper + panel.Height;
            var (low, high) = Range(panel.Z);
            string[] texts = Texts(panel);
            bool values = showValues ?? Fits(panel, texts);

            GenericChart trace = PlotlyChart.Heatmap<double, string, string, string>(
                zData: panel.Z.Reverse().ToArray(),
                X: panel.X,
                Y: panel.Y.Reverse().ToArray(),
                ColorScale: StyleParam.Colorscale.Viridis,
                ShowScale: true);
            string[][] text = texts.Chunk(panel.X.Length).Reverse().ToArray();
            trace = GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(t =>
            {
                t.SetProperty("xaxis", "x" + suffix);
                t.SetProperty("yaxis", "y" + suffix);
                t.SetProperty("zmin", low);
                t.SetProperty("zmax", high);
                t.SetProperty("colorbar", new
                {
                    x = PaperX(right + BarGap),
                    xanchor = "left",
                    xpad = 0,
                    y = PaperY((upper + lower) / 2),
                    yanchor = "middle",
                    ypad = 0,
                    len = Math.Max(panel.Height, 60) / paperHeight,
                    thickness = BarThickness,
                    outlinewidth = 0,
                    tickfont = new { size = TickFont - 1 },
                });
                if (values)
                {
                    t.SetProperty("text", text);
                    t.SetProperty("texttemplate", "%{text}");
                }
                return t;
            }), trace);
            traces.Add(trace);

            axes.Add(("xaxis" + suffix, new
            {
                domain = new[] { PaperX(left), PaperX(right) },
                anchor = "y" + suffix,
                type = "category",
                tickmode = "array",
                tickvals = Thin(panel.X, panel.Width, panel.X.Max(l => l.Length) * CharWidth + 14),
                tickangle = 0,
                tickfont = new { size = TickFont },
                showgrid = false,
                zeroline = false,
                title = new { text = xTitle ?? "" },
            }));
            axes.Add(("yaxis" + suffix, new
            {
                domain = new[] { PaperY(lower), PaperY(upper) },
                anchor = "x" + suffix,
                type = "category",
                tickmode = "array",
                tickvals = Thin(panel.Y, panel.Height, TickFont + 12),
                tickangle = 0,
                tickfont = new { size = TickFont },
                showgrid = false,
                zeroline = false,
                title = new { text = yTitle ?? "" },
            }));
            if (!string.IsNullOrEmpty(panel.Title))
            {
                annotations.Add(new
                {
                    text = panel.Title,
                    x = PaperX((left + right) / 2),
                    y = PaperY(upper - 4),
                    xref = "paper",
                    yref = "paper",
                    xanchor = "center",
                    yanchor = "bottom",
                    showarrow = false,
                    font = new { size = 13 },
                });
            }
        }

        GenericChart chart = traces.Count == 1 ? traces[0] : PlotlyChart.Combine(traces);
        chart = GenericChart.mapLayout(FuncConvert.FromFunc<Layout, Layout>(layout =>
        {
            foreach (var (name, axis) in axes) layout.SetProperty(name, axis);
            layout.SetProperty("annotations", annotations);
            layout.SetProperty("margin", new { l = Margin, r = Margin, t = top, b = Margin });
            return layout;
        }), chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, (int)width, (int)height);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>The labels to put ticks at: every 1st, 2nd, 4th, 8th … so that the labels, level, do not crowd.</summary>
    private static string[] Thin(string[] labels, double length, double labelLength)
    {
        int step = 1;
        while (step < labels.Length && (labels.Length + step - 1) / step * labelLength > length) step *= 2;
        return labels.Where((_, i) => i % step == 0).ToArray();
    }

    /// <summary>
    /// The panel's values as cell text, row by row from the top: to three significant digits, or to two when
    /// three do not fit the cells and two do.
    /// </summary>
    private static string[] Texts(Panel panel)
    {
        string[] three = Texts(panel, 3);
        if (panel.CellWidth == 0 || Fits(panel, three)) return three;
        string[] two = Texts(panel, 2);
        return Fits(panel, two) ? two : three;
    }

    private static string[] Texts(Panel panel, int digits)
    {
        double scale = panel.Z.SelectMany(r => r).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return panel.Z.SelectMany(r => r).Select(v => NumberText.Compact(v, scale, digits)).ToArray();
    }

    /// <summary>Whether the longest text fits in a cell at a readable size (10 pixels or more).</summary>
    private static bool Fits(Panel panel, string[] texts) =>
        panel.CellHeight >= 15 && panel.CellWidth >= texts.Max(t => t.Length) * CharWidth + 6;

    /// <summary>The colour range of the values: their finite extremes, widened around a constant.</summary>
    private static (double Low, double High) Range(double[][] z)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (double v in z.SelectMany(r => r))
        {
            if (!double.IsFinite(v)) continue;
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        if (low > high) return (0, 1);
        if (low < high) return (low, high);
        double half = low == 0 ? 1 : Math.Abs(low) / 2;
        return (low - half, high + half);
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
        Guard.NotEmptyAlong(image, 2, paramName, "A heatmap");
        int height = shape.Length >= 2 ? shape[^2] : 1, width = shape[^1];
        ReadOnlySpan<float> data = image.Span;
        var rows = new double[height][];
        for (int r = 0; r < height; r++)
        {
            rows[r] = new double[width];
            for (int c = 0; c < width; c++) rows[r][c] = data[r * width + c];
        }
        // Read through a span, the elements may be lent by ResultMemory: the tensor stays alive until they are copied.
        GC.KeepAlive(image);
        return rows;
    }
}
