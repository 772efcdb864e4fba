using System.Globalization;
using System.Text;

namespace Conv.Notebook;

public sealed partial class Tensor
{
    private const int SummaryThreshold = 1000;
    private const int EdgeItems = 3;

    /// <summary>
    /// The elements laid out as PyTorch prints them, followed by the shape; tensors of more than
    /// 1000 elements show the first and last three entries of each dimension; an empty tensor shows as
    /// <c>tensor([], shape (0, 3, 8, 8))</c>.
    /// </summary>
    /// <example><code>Console.WriteLine(Tensor.Arange(4).Reshape(2, 2)); // tensor([[0, 1], [2, 3]]) with the shape</code></example>
    public override string ToString()
    {
        // An empty tensor has no elements to lay out, whatever its shape; PyTorch prints it as tensor([], size=…).
        if (_data.Length == 0) return $"tensor([], shape {ShapeText(_shape)})";
        bool summarize = _data.Length > SummaryThreshold;
        bool integral = true;
        float maxAbs = 0;
        foreach (float v in _data)
        {
            if (v != MathF.Round(v) || float.IsNaN(v) || float.IsInfinity(v)) integral = false;
            if (float.IsFinite(v)) maxAbs = Math.Max(maxAbs, Math.Abs(v));
        }
        string format = integral ? "0" : maxAbs >= 1e5f || (maxAbs < 1e-3f && maxAbs > 0) ? "0.0000e+00" : "0.0000";
        int width = 0;
        foreach (float v in _data) width = Math.Max(width, FormatNumber(v, format).Length);

        var text = new StringBuilder("tensor(");
        AppendDim(text, 0, 0, "tensor(".Length, summarize, format, width);
        text.Append(", shape ").Append(ShapeText(_shape)).Append(')');
        GC.KeepAlive(this);
        return text.ToString();
    }

    private void AppendDim(StringBuilder text, int dim, int offset, int indent, bool summarize, string format, int width)
    {
        int size = _shape[dim];
        int stride = 1;
        for (int d = dim + 1; d < _shape.Length; d++) stride *= _shape[d];
        bool last = dim == _shape.Length - 1;
        text.Append('[');
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                text.Append(last ? "..., " : "...,\n" + new string(' ', indent + 1));
                i = size - EdgeItems - 1;
                continue;
            }
            if (last)
            {
                text.Append(FormatNumber(_data[offset + i], format).PadLeft(width));
            }
            else
            {
                AppendDim(text, dim + 1, offset + i * stride, indent + 1, summarize, format, width);
            }
            if (i < size - 1)
            {
                text.Append(last ? ", " : "," + new string('\n', _shape.Length - dim - 1) + new string(' ', indent + 1));
            }
        }
        text.Append(']');
    }

    private static string FormatNumber(float value, string format) =>
        float.IsNaN(value) ? "nan" :
        float.IsPositiveInfinity(value) ? "inf" :
        float.IsNegativeInfinity(value) ? "-inf" :
        value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether both tensors have the same shape and every pair of elements is close, as <c>torch.allclose</c>: equal
    /// (so ∞ and ∞ of the same sign are close), or with a finite difference |a − b| ≤ <paramref name="atol"/> +
    /// <paramref name="rtol"/> · |b|. A NaN is close to nothing, unless <paramref name="equalNan"/> makes two NaNs close.
    /// </summary>
    /// <param name="other">The tensor to compare with (the reference, b).</param>
    /// <param name="rtol">The relative tolerance, at least 0.</param>
    /// <param name="atol">The absolute tolerance, at least 0.</param>
    /// <param name="equalNan">Whether a NaN is close to a NaN, as PyTorch's <c>equal_nan</c>; false by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative or NaN.</exception>
    /// <example><code>bool same = Convolution.Conv2d(x, k).AllClose(expected, equalNan: true);</code></example>
    public bool AllClose(Tensor other, float rtol = 1e-5f, float atol = 1e-8f, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!(rtol >= 0)) throw new ArgumentOutOfRangeException(nameof(rtol), rtol, $"The relative tolerance rtol must be at least 0, but it is {rtol}.");
        if (!(atol >= 0)) throw new ArgumentOutOfRangeException(nameof(atol), atol, $"The absolute tolerance atol must be at least 0, but it is {atol}.");
        if (!_shape.AsSpan().SequenceEqual(other._shape)) return false;
        bool close = true;
        for (int i = 0; i < _data.Length && close; i++)
        {
            float a = _data[i], b = other._data[i];
            // torch.isclose: equal values (infinities included) are close; otherwise the difference must be finite.
            float difference = Math.Abs(a - b);
            close = a == b || (equalNan && float.IsNaN(a) && float.IsNaN(b)) ||
                (float.IsFinite(difference) && difference <= atol + rtol * Math.Abs(b));
        }
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return close;
    }
}
