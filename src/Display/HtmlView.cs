namespace Conv.Notebook.Display;

/// <summary>
/// A piece of HTML made by the helper, such as a picture of kernel windows; a notebook shows it as HTML,
/// and <see cref="ToString"/> gives the markup for use elsewhere.
/// </summary>
/// <param name="Html">The markup.</param>
/// <example><code>HtmlView view = WindowPicture.Render(8, 8, kernel: (3, 5), padding: (0, 1), stride: (3, 4));</code></example>
public sealed record HtmlView(string Html)
{
    /// <summary>The markup.</summary>
    public override string ToString() => Html;
}
