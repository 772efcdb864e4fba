using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Padding.SourceIndices"/>: the index map that <see cref="Padding.Pad"/> applies, so padding a
/// tensor must equal gathering its elements through the map (the fill value where the map says −1).
/// </summary>
public sealed class PaddingSourceIndicesTests
{
    private const long Iterations = 1000;

    private static int MaxPad(PaddingMode mode, int size) => mode switch
    {
        PaddingMode.Reflect => size - 1,
        PaddingMode.Circular or PaddingMode.Symmetric => size,
        _ => 6,
    };

    public sealed record PadCase(PaddingMode Mode, int Size, int Before, int After, float Value, int Seed);

    private static readonly Gen<PadCase> CaseGen =
        from mode in Gen.Enum<PaddingMode>()
        from size in Gen.Int[1, 10]
        from before in Gen.Int[0, MaxPad(mode, size)]
        from after in Gen.Int[0, MaxPad(mode, size)]
        from value in Gen.Float[-5f, 5f]
        from seed in Gen.Int
        select new PadCase(mode, size, before, after, value, seed);

    private static float[] Gather(float[] source, int[] map, float value) =>
        map.Select(i => i < 0 ? value : source[i]).ToArray();

    [Fact]
    public void Padding_a_1d_tensor_gathers_through_the_source_indices()
    {
        CaseGen.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.Seed, c.Size);
            int[] map = Padding.SourceIndices(c.Size, c.Before, c.After, c.Mode);
            Assert.Equal(c.Before + c.Size + c.After, map.Length);
            Assert.All(map, i => Assert.InRange(i, c.Mode == PaddingMode.Zeros ? -1 : 0, c.Size - 1));

            float[] padded = Padding.Pad(x, [c.Before, c.After], c.Mode, c.Value).ToArray();
            Assert.Equal(Gather(x.ToArray(), map, c.Value), padded);
        }, iter: Iterations);
    }

    [Fact]
    public void Padding_a_2d_tensor_gathers_rows_and_columns_through_their_maps()
    {
        var gen =
            from mode in Gen.Enum<PaddingMode>()
            from height in Gen.Int[1, 7]
            from width in Gen.Int[1, 7]
            from top in Gen.Int[0, MaxPad(mode, height)]
            from bottom in Gen.Int[0, MaxPad(mode, height)]
            from left in Gen.Int[0, MaxPad(mode, width)]
            from right in Gen.Int[0, MaxPad(mode, width)]
            from value in Gen.Float[-5f, 5f]
            from seed in Gen.Int
            select (mode, height, width, top, bottom, left, right, value, seed);
        gen.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.seed, c.height, c.width);
            int[] rows = Padding.SourceIndices(c.height, c.top, c.bottom, c.mode);
            int[] cols = Padding.SourceIndices(c.width, c.left, c.right, c.mode);
            Tensor padded = Padding.Pad(x, [c.left, c.right, c.top, c.bottom], c.mode, c.value);
            Assert.Equal([rows.Length, cols.Length], padded.Shape);
            for (int r = 0; r < rows.Length; r++)
            {
                for (int q = 0; q < cols.Length; q++)
                {
                    float expected = rows[r] < 0 || cols[q] < 0 ? c.value : x[rows[r], cols[q]];
                    Assert.Equal(expected, padded[r, q]);
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void The_middle_of_the_map_is_the_identity()
    {
        CaseGen.Sample(c =>
        {
            int[] map = Padding.SourceIndices(c.Size, c.Before, c.After, c.Mode);
            Assert.Equal(Enumerable.Range(0, c.Size), map.Skip(c.Before).Take(c.Size));
        }, iter: Iterations);
    }

    [Theory]
    // An input [a, b, c] padded by 2 on each side.
    [InlineData(PaddingMode.Zeros, new[] { -1, -1, 0, 1, 2, -1, -1 })]      // 0 0 a b c 0 0
    [InlineData(PaddingMode.Reflect, new[] { 2, 1, 0, 1, 2, 1, 0 })]       // c b a b c b a: the edge is not repeated
    [InlineData(PaddingMode.Symmetric, new[] { 1, 0, 0, 1, 2, 2, 1 })]     // b a a b c c b: the edge is repeated
    [InlineData(PaddingMode.Replicate, new[] { 0, 0, 0, 1, 2, 2, 2 })]     // a a a b c c c
    [InlineData(PaddingMode.Circular, new[] { 1, 2, 0, 1, 2, 0, 1 })]      // b c a b c a b: wraps around
    public void Each_mode_reads_where_its_definition_says(PaddingMode mode, int[] expected)
    {
        Assert.Equal(expected, Padding.SourceIndices(3, 2, 2, mode));
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, -1, 0, "before")]
    [InlineData(PaddingMode.Zeros, 0, -1, "after")]
    [InlineData(PaddingMode.Reflect, 3, 0, "before")]
    [InlineData(PaddingMode.Reflect, 0, 3, "after")]
    [InlineData(PaddingMode.Circular, 4, 0, "before")]
    [InlineData(PaddingMode.Circular, 0, 4, "after")]
    [InlineData(PaddingMode.Symmetric, 4, 0, "before")]
    [InlineData(PaddingMode.Symmetric, 0, 4, "after")]
    public void Bad_pads_throw_naming_the_side(PaddingMode mode, int before, int after, string param)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Padding.SourceIndices(3, before, after, mode));
        Assert.Equal(param, ex.ParamName);
        Assert.Contains(param, ex.Message, StringComparison.Ordinal);
        Assert.Equal(param == "before" ? before : after, ex.ActualValue);
    }

    [Theory]
    [InlineData(PaddingMode.Reflect, 2)]
    [InlineData(PaddingMode.Circular, 3)]
    [InlineData(PaddingMode.Symmetric, 3)]
    [InlineData(PaddingMode.Replicate, 50)]
    [InlineData(PaddingMode.Zeros, 50)]
    public void The_largest_allowed_pad_is_accepted(PaddingMode mode, int pad)
    {
        int[] map = Padding.SourceIndices(3, pad, pad, mode);
        Assert.Equal(3 + 2 * pad, map.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_size_below_one_throws_naming_size(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Padding.SourceIndices(size, 0, 0, PaddingMode.Zeros));
        Assert.Equal("size", ex.ParamName);
    }

    [Fact]
    public void An_unknown_mode_throws_naming_mode()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Padding.SourceIndices(3, 1, 1, (PaddingMode)42));
        Assert.Equal("mode", ex.ParamName);
    }

    [Fact]
    public void A_padded_size_beyond_one_array_throws_instead_of_allocating()
    {
        var ex = Assert.Throws<ArgumentException>(() => Padding.SourceIndices(1, int.MaxValue, int.MaxValue, PaddingMode.Zeros));
        Assert.True(ex.ParamName is "before" or "after", $"ParamName should name a side but is '{ex.ParamName}'");
    }
}
