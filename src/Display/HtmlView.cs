namespace Conv.Notebook.Display;

/// <summary>
/// A piece of HTML made by the helper, such as a step-through animation; a notebook shows it as HTML,
/// and <see cref="ToString"/> gives the markup for use elsewhere.
/// </summary>
/// <param name="Html">The markup.</param>
/// <example><code>HtmlView view = ConvAnimation.Render(x, w, stride: (3, 4), padding: (0, 1));</code></example>
public sealed record HtmlView(string Html)
{
    /// <summary>The markup.</summary>
    public override string ToString() => Html;
}
