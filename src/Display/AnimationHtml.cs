using System.Text;
using System.Text.Json;

namespace Conv.Notebook.Display;

/// <summary>
/// One change a frame makes to a cell of an animation: a class added to the cell's own, and optionally its text
/// and background. Cells are numbered by their <c>data-i</c> attribute.
/// </summary>
internal sealed record CellStep(int Cell, string Class, string? Text = null, string? Background = null);

/// <summary>
/// One frame of an animation: its caption, the changes that hold for this frame only (<paramref name="Show"/>),
/// and those that stay for every later frame too (<paramref name="Keep"/>), such as an output once computed.
/// </summary>
internal sealed record AnimationFrame(string Caption, IReadOnlyList<CellStep> Show, IReadOnlyList<CellStep>? Keep = null);

/// <summary>
/// The self-contained HTML of a step-through animation: grids of cells drawn once, a slider, a play button and a
/// few lines of plain JavaScript that restyle the cells frame by frame from data embedded as JSON. No library and
/// no network, so it runs alike in VS Code, Jupyter and the offline reports.
/// </summary>
internal static class AnimationHtml
{
    /// <summary>The most rows or columns of a grid whose values are written in its cells; a larger grid shows
    /// its cells' classes and colours alone.</summary>
    public const int MaxSideWithValues = 16;

    /// <summary>The styles of every animation, scoped to its root element by <c>ROOT</c>.</summary>
    private const string Styles = """
        ROOT{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#222;margin:4px 0 16px}
        ROOT .cn-a-title{color:#444;margin-bottom:6px}
        ROOT .cn-a-panels{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
        ROOT .cn-a-head{color:#555;margin-bottom:3px}
        ROOT table{border-collapse:separate;border-spacing:2px}
        ROOT td{width:var(--cn-cell);height:var(--cn-cell);padding:0;text-align:center;font-size:10px;
          border:1px solid #c9d3e0;background:#fff;color:#223;box-sizing:border-box;transition:background .12s}
        ROOT td.lbl{border:none;background:none;color:#999;font-size:9px}
        ROOT td.pad{border:1px dashed #b8b8b8;background:#f6f6f6;color:#aaa}
        ROOT td.zero{color:#bbb}
        ROOT td.never{background:#fde2d4;border-color:#d9534f;color:#b33}
        ROOT td.out{background:#f3f5f8;color:#999}
        ROOT td.span{background:#e6eef9}
        ROOT td.tap{background:#21519b;border-color:#123a75;color:#fff;font-weight:bold}
        ROOT td.done{background:#cfe0f5;color:#123}
        ROOT td.cur{background:#f0a330;border-color:#b36b00;color:#000;font-weight:bold}
        ROOT td.src{background:#2e8b57;border-color:#1d5e3a;color:#fff;font-weight:bold}
        ROOT td.same{background:#c9ead7}
        ROOT td.acc{color:#123;border-color:#6d8fc4}
        ROOT td.stamp{outline:2px solid #f0a330;outline-offset:-2px}
        ROOT .cn-a-controls{display:flex;align-items:center;gap:8px;margin:8px 0 4px}
        ROOT .cn-a-controls input{flex:0 1 320px}
        ROOT .cn-a-controls button{font:inherit;padding:2px 10px;cursor:pointer}
        ROOT .cn-a-caption{white-space:pre-wrap;background:#f7f7f4;border-left:3px solid #f0a330;padding:4px 8px;
          min-height:3.6em;max-width:900px}
        ROOT .cn-a-legend{color:#666;margin-top:4px}
        ROOT .cn-a-note{color:#a33;margin:4px 0}
        """;

    // Restores the cells the last frame changed, applies every kept change up to the frame, then the frame's own.
    private const string Script = """
        (function () {
          var root = document.getElementById('ROOT_ID');
          if (!root || root.getAttribute('data-ready')) return;
          root.setAttribute('data-ready', '1');
          var frames = FRAMES;
          var cells = {}, base = {}, changed = [];
          root.querySelectorAll('[data-i]').forEach(function (c) {
            var i = c.getAttribute('data-i');
            cells[i] = c;
            base[i] = [c.className, c.textContent, c.style.background];
          });
          var slider = root.querySelector('.cn-a-slider'), play = root.querySelector('.cn-a-play');
          var caption = root.querySelector('.cn-a-caption'), counter = root.querySelector('.cn-a-counter');
          function apply(step) {
            var c = cells[step[0]];
            if (!c) return;
            c.className = base[step[0]][0] + ' ' + step[1];
            if (step[2] !== null) c.textContent = step[2];
            if (step[3] !== null) c.style.background = step[3];
            changed.push(step[0]);
          }
          function show(f) {
            changed.forEach(function (i) {
              var c = cells[i], b = base[i];
              c.className = b[0]; c.textContent = b[1]; c.style.background = b[2];
            });
            changed = [];
            for (var j = 0; j <= f; j++) frames[j].k.forEach(apply);
            frames[f].s.forEach(apply);
            caption.textContent = frames[f].c;
            counter.textContent = (f + 1) + ' / ' + frames.length;
            slider.value = f;
            root.setAttribute('data-frame', f);
          }
          var timer = null;
          function stop() { if (timer) clearInterval(timer); timer = null; play.textContent = '\u25B6 play'; }
          play.addEventListener('click', function () {
            if (timer) { stop(); return; }
            if (+slider.value >= frames.length - 1) show(0);
            play.textContent = '\u275A\u275A pause';
            timer = setInterval(function () {
              var f = +slider.value + 1;
              if (f >= frames.length) { stop(); return; }
              show(f);
            }, DELAY);
          });
          slider.addEventListener('input', function () { stop(); show(+slider.value); });
          root.querySelectorAll('[data-f]').forEach(function (c) {
            c.addEventListener('mouseenter', function () { stop(); show(+c.getAttribute('data-f')); });
          });
          show(0);
        })();
        """;

    /// <summary>
    /// The whole animation: <paramref name="title"/>, the <paramref name="panels"/> (HTML whose cells carry
    /// <c>data-i</c>), the controls, the caption, the <paramref name="legend"/> and, when frames were left out,
    /// <paramref name="note"/>.
    /// </summary>
    public static string Render(string title, string panels, IReadOnlyList<AnimationFrame> frames, string legend,
        string? note = null, int cellPixels = 22, int delayMilliseconds = 700)
    {
        string id = HtmlText.NewId("cn-anim-");
        var html = new StringBuilder();
        html.Append("<div class=\"cn-anim\" id=\"").Append(id).Append("\" style=\"--cn-cell:")
            .Append(cellPixels).Append("px\">");
        html.Append("<style>").Append(Styles.Replace("ROOT", "#" + id, StringComparison.Ordinal)).Append("</style>");
        html.Append("<div class=\"cn-a-title\">").Append(Escape(title)).Append("</div>");
        if (note is not null) html.Append("<div class=\"cn-a-note\">").Append(Escape(note)).Append("</div>");
        if (frames.Count == 0) return html.Append("</div>").ToString();
        html.Append("<div class=\"cn-a-controls\"><button type=\"button\" class=\"cn-a-play\">▶ play</button>")
            .Append("<input type=\"range\" class=\"cn-a-slider\" min=\"0\" max=\"").Append(frames.Count - 1)
            .Append("\" step=\"1\" value=\"0\" aria-label=\"frame\"><span class=\"cn-a-counter\">1 / ")
            .Append(frames.Count).Append("</span></div>");
        html.Append("<div class=\"cn-a-panels\">").Append(panels).Append("</div>");
        html.Append("<div class=\"cn-a-caption\">").Append(Escape(frames[0].Caption)).Append("</div>");
        html.Append("<div class=\"cn-a-legend\">").Append(Escape(legend)).Append("</div>");
        html.Append("<script type=\"text/javascript\">")
            .Append(Script.Replace("ROOT_ID", id, StringComparison.Ordinal)
                .Replace("DELAY", delayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("FRAMES", FramesJson(frames), StringComparison.Ordinal))
            .Append("</script>");
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>The frames as JSON that is safe inside a script element.</summary>
    internal static string FramesJson(IReadOnlyList<AnimationFrame> frames)
    {
        static object?[][] Steps(IReadOnlyList<CellStep>? steps) =>
            (steps ?? []).Select(s => new object?[] { s.Cell, s.Class, s.Text, s.Background }).ToArray();
        return HtmlText.InScript(JsonSerializer.Serialize(
            frames.Select(f => new { c = f.Caption, s = Steps(f.Show), k = Steps(f.Keep) })));
    }

    /// <summary>Text for an HTML element's content or a double-quoted attribute.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Whether a grid of <paramref name="rows"/> × <paramref name="columns"/> cells writes its values in them.</summary>
    public static bool ShowsValues(int rows, int columns) => rows <= MaxSideWithValues && columns <= MaxSideWithValues;

    /// <summary>A number for a cell or a caption: two decimals, or an integer as an integer, never "-0".</summary>
    public static string Number(double value) =>
        value == Math.Round(value) && Math.Abs(value) < 1e6 ? NumberText.Format(value, "0") : NumberText.Format(value, "0.00");

    /// <summary>A table cell numbered <paramref name="index"/> for the frames, with a class and text.</summary>
    public static void Cell(StringBuilder html, int index, string cls, string text, int? frame = null, string? title = null)
    {
        html.Append("<td data-i=\"").Append(index).Append("\" class=\"").Append(cls).Append('"');
        if (frame is not null) html.Append(" data-f=\"").Append(frame.Value).Append('"');
        if (title is not null) html.Append(" title=\"").Append(Escape(title)).Append('"');
        html.Append('>').Append(Escape(text)).Append("</td>");
    }
}
