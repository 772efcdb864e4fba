using System.Text.Json;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Sampling"/>: <c>Subsample</c> against PyTorch's slicing and as the definition of a strided convolution,
/// <c>Roll</c> against <c>torch.roll</c> (both references in <c>tests/fixtures/statistics_reference.json</c>), and bad input.
/// </summary>
public sealed class SamplingTests
{
    [Fact]
    public void Subsample_matches_pytorch_slicing()
    {
        // input[..., offset[0]::step[0], offset[1]::step[1]] in PyTorch, from the fixture.
        JsonElement c = StatisticsFixture.Get("subsample");
        Tensor t = StatisticsFixture.ReadTensor(c, "input");
        Tensor expected = StatisticsFixture.ReadTensor(c, "output");
        Tensor s = Sampling.Subsample(t, StatisticsFixture.Pair(c, "step"), offset: StatisticsFixture.Pair(c, "offset"));
        Assert.Equal(expected.Shape, s.Shape);
        Assert.Equal(expected.ToArray(), s.ToArray());
    }

    [Fact]
    public void Subsample_keeps_every_step_th_element_of_the_last_two_dimensions()
    {
        Tensor t = Tensor.Arange(2 * 5 * 5).Reshape(2, 5, 5);
        Tensor s = Sampling.Subsample(t, (2, 2));
        Assert.Equal([2, 3, 3], s.Shape);
        for (int p = 0; p < 2; p++)
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(t[p, 2 * r, 2 * c], s[p, r, c]);
    }

    [Fact]
    public void Step_one_returns_the_same_values()
    {
        Tensor t = Tensor.Randn(4, 2, 3, 7);
        Assert.Equal(t.ToArray(), Sampling.Subsample(t, (1, 1)).ToArray());
    }

    [Fact]
    public void A_strided_convolution_is_the_stride_1_convolution_subsampled()
    {
        var gen =
            from h in Gen.Int[1, 12]
            from w in Gen.Int[1, 12]
            from k in Gen.Int[1, 4]
            from p in Gen.Int[0, 2]
            from sh in Gen.Int[1, 4]
            from sw in Gen.Int[1, 4]
            from seed in Gen.Int[0, 1000]
            where k <= h + 2 * p && k <= w + 2 * p
            select (h, w, k, p, sh, sw, seed);
        gen.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.seed, 1, 2, c.h, c.w);
            Tensor weight = Tensor.Randn(c.seed + 1, 3, 2, c.k, c.k);
            Tensor dense = Convolution.Conv2d(x, weight, padding: (c.p, c.p));
            Tensor strided = Convolution.Conv2d(x, weight, padding: (c.p, c.p), stride: (c.sh, c.sw));
            return strided.AllClose(Sampling.Subsample(dense, (c.sh, c.sw)), 1e-4f, 1e-4f);
        }, iter: 300);
    }

    [Fact]
    public void Roll_matches_torch_roll()
    {
        // torch.roll(input, shifts=shifts, dims=(-2, -1)), from the fixture.
        JsonElement c = StatisticsFixture.Get("roll");
        Tensor t = StatisticsFixture.ReadTensor(c, "input");
        Tensor expected = StatisticsFixture.ReadTensor(c, "output");
        Tensor r = Sampling.Roll(t, StatisticsFixture.Pair(c, "shifts"));
        Assert.Equal(expected.Shape, r.Shape);
        Assert.Equal(expected.ToArray(), r.ToArray());
    }

    [Fact]
    public void Roll_by_the_size_or_back_is_the_identity()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[-20, 20], Gen.Int[-20, 20]).Sample((h, w, dy, dx) =>
        {
            Tensor t = Tensor.Randn(h * 31 + w, 2, h, w);
            Tensor back = Sampling.Roll(Sampling.Roll(t, (dy, dx)), (-dy, -dx));
            Tensor full = Sampling.Roll(t, (h * dy, w * dx));
            return back.ToArray().SequenceEqual(t.ToArray()) && full.ToArray().SequenceEqual(t.ToArray());
        }, iter: 200);
    }

    [Fact]
    public void Roll_moves_element_r_c_to_r_plus_dy_c_plus_dx()
    {
        Tensor t = Tensor.Randn(9, 5, 6);
        Tensor r = Sampling.Roll(t, (2, -3));
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(t[y, x], r[(y + 2) % 5, (x - 3 + 6) % 6]);
    }

    [Fact]
    public void Roll_handles_int_min_without_overflow()
    {
        Tensor t = Tensor.Arange(6).Reshape(2, 3);
        // int.MinValue mod 2 = 0 and mod 3 = 1 (−2147483648 = −715827883 · 3 + 1).
        Assert.Equal(Sampling.Roll(t, (0, 1)).ToArray(), Sampling.Roll(t, (int.MinValue, int.MinValue)).ToArray());
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Tensor v = Tensor.Arange(4);
        Tensor m = Tensor.Arange(12).Reshape(3, 4);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Sampling.Subsample(v, (1, 1))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Sampling.Roll(v, (1, 1))).ParamName);
        Assert.Equal("step.H", Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Subsample(m, (0, 1))).ParamName);
        Assert.Equal("step.W", Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Subsample(m, (1, -2))).ParamName);
        Assert.Equal("offset.H", Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Subsample(m, (1, 1), (3, 0))).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Subsample(m, (1, 1), (0, -1)));
        Assert.Equal("offset.W", e.ParamName);
        Assert.Contains("from 0 to the width minus 1 (3)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Sampling.Subsample(null!, (1, 1)));
        Assert.Throws<ArgumentNullException>(() => Sampling.Roll(null!, (1, 1)));
    }
}
