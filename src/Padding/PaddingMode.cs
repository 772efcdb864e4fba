namespace Conv.Notebook;

/// <summary>
/// How the border of a tensor is extended. Shown on the row <c>[1, 2, 3]</c> padded by 2 on each side.
/// </summary>
/// <remarks>
/// "Mirror padding" has two readings in the literature, and both are here: <see cref="Reflect"/>
/// mirrors about the edge element without repeating it (PyTorch <c>reflect</c>, numpy <c>reflect</c>),
/// <see cref="Symmetric"/> mirrors about the edge itself and so repeats the edge element
/// (numpy <c>symmetric</c>; PyTorch has no such mode).
/// </remarks>
/// <example><code>Padding.Pad(x, [1, 1, 1, 1], PaddingMode.Reflect);</code></example>
public enum PaddingMode
{
    /// <summary>A constant, zero unless given: <c>0 0 | 1 2 3 | 0 0</c>. PyTorch <c>zeros</c>/<c>constant</c>, numpy <c>constant</c>.</summary>
    Zeros,

    /// <summary>Mirror without repeating the edge: <c>3 2 | 1 2 3 | 2 1</c>. PyTorch and numpy <c>reflect</c>; the padding must be less than the size.</summary>
    Reflect,

    /// <summary>Repeat the edge: <c>1 1 | 1 2 3 | 3 3</c>. PyTorch <c>replicate</c>, numpy <c>edge</c>.</summary>
    Replicate,

    /// <summary>Wrap around: <c>2 3 | 1 2 3 | 1 2</c>. PyTorch <c>circular</c>, numpy <c>wrap</c>; the padding may be at most the size.</summary>
    Circular,

    /// <summary>Mirror repeating the edge: <c>2 1 | 1 2 3 | 3 2</c>. numpy <c>symmetric</c>; the padding may be at most the size.</summary>
    Symmetric,
}
