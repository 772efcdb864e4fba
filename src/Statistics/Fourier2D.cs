using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Conv.Notebook;

/// <summary>
/// The 2-D discrete Fourier transform as 1-D transforms of every row, then of every column: MathNet's managed
/// provider, the one that ships without native libraries, implements only the 1-D transform.
/// </summary>
internal static class Fourier2D
{
    /// <summary>Transforms a row-major height × width array in place, with MathNet's Matlab convention (1/n on the inverse).</summary>
    public static void Transform(Complex[] data, int height, int width, bool inverse)
    {
        for (int r = 0; r < height; r++)
        {
            Span<Complex> row = data.AsSpan(r * width, width);
            Complex[] buffer = row.ToArray();
            OneD(buffer, inverse);
            buffer.CopyTo(row);
        }
        var column = new Complex[height];
        for (int c = 0; c < width; c++)
        {
            for (int r = 0; r < height; r++) column[r] = data[r * width + c];
            OneD(column, inverse);
            for (int r = 0; r < height; r++) data[r * width + c] = column[r];
        }
    }

    private static void OneD(Complex[] values, bool inverse)
    {
        if (inverse) Fourier.Inverse(values, FourierOptions.Matlab);
        else Fourier.Forward(values, FourierOptions.Matlab);
    }
}
