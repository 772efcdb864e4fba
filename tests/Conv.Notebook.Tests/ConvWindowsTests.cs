using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="ConvWindows"/> against the real convolution: a position is untouched exactly when changing its
/// value leaves the output of <see cref="Convolution.Conv1d"/> unchanged, and the coverage counts agree with a
/// convolution of a one-hot signal and with a transposed convolution of ones.
/// </summary>
public sealed class ConvWindowsTests
{
    private const long Iterations = 500;

    /// <summary>One dimension of a convolution whose kernel fits the padded input.</summary>
    public sealed record WindowCase(int Size, int Kernel, int Padding, int Stride, int Dilation, int Seed)
    {
        public int Windows => (Size + 2 * Padding - (Dilation * (Kernel - 1) + 1)) / Stride + 1;
    }

    private static readonly Gen<WindowCase> CaseGen =
        from size in Gen.Int[1, 14]
        from padding in Gen.Int[0, 4]
        from dilation in Gen.Int[1, 3]
        from kernel in Gen.Int[1, Math.Min(6, (size + 2 * padding - 1) / dilation + 1)]
        from stride in Gen.Int[1, 6]
        from seed in Gen.Int
        select new WindowCase(size, kernel, padding, stride, dilation, seed);

    /// <summary>A kernel of (1, 1, k) whose taps are all far from zero, so that every tap moves the output.</summary>
    private static Tensor NonZeroKernel(int kernel, int seed)
    {
        var random = new Random(seed);
        var taps = new float[kernel];
        for (int i = 0; i < kernel; i++)
        {
            taps[i] = (float)(0.5 + random.NextDouble() * 1.5) * (random.Next(2) == 0 ? -1 : 1);
        }
        return new Tensor([1, 1, kernel], taps);
    }

    private static Tensor Conv(WindowCase c, float[] signal, Tensor kernel) =>
        Convolution.Conv1d(new Tensor([1, c.Size], signal), kernel, stride: c.Stride, padding: c.Padding, dilation: c.Dilation);

    [Fact]
    public void Untouched_is_exactly_the_set_of_inputs_that_do_not_change_the_convolution()
    {
        CaseGen.Sample(c =>
        {
            Tensor kernel = NonZeroKernel(c.Kernel, c.Seed);
            float[] signal = Tensor.Randn(c.Seed ^ 0x5f3759df, c.Size).ToArray();
            float[] baseline = Conv(c, signal, kernel).ToArray();

            var unread = new List<int>();
            for (int i = 0; i < c.Size; i++)
            {
                float[] perturbed = (float[])signal.Clone();
                perturbed[i] += 100f;
                if (Conv(c, perturbed, kernel).ToArray().SequenceEqual(baseline)) unread.Add(i);
            }

            int[] untouched = ConvWindows.Untouched(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            Assert.Equal(unread, untouched);
        }, iter: Iterations);
    }

    [Fact]
    public void Coverage_of_each_input_position_counts_the_outputs_that_read_it()
    {
        // With a kernel of ones, a one-hot signal at i gives 1 in every output whose window reads i
        // (a window reads a position at most once, since its taps are distinct).
        CaseGen.Sample(c =>
        {
            int[] coverage = ConvWindows.Coverage(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            Assert.Equal(c.Size + 2 * c.Padding, coverage.Length);
            Tensor ones = Tensor.Full([1, 1, c.Kernel], 1f);
            for (int i = 0; i < c.Size; i++)
            {
                var oneHot = new float[c.Size];
                oneHot[i] = 1f;
                float reads = Conv(c, oneHot, ones).ToArray().Sum();
                Assert.Equal(reads, coverage[c.Padding + i]);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Coverage_of_the_padded_dimension_is_a_transposed_convolution_of_ones()
    {
        // Spreading a one from every window over its taps counts, at each padded position q, the pairs
        // (window j, tap i) with j·stride + i·dilation = q; beyond the last tap of the last window the count is 0.
        CaseGen.Sample(c =>
        {
            int[] coverage = ConvWindows.Coverage(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            float[] spread = Convolution.ConvTranspose1d(
                Tensor.Full([1, c.Windows], 1f), Tensor.Full([1, 1, c.Kernel], 1f), stride: c.Stride, dilation: c.Dilation).ToArray();
            Assert.True(spread.Length <= coverage.Length, $"the windows reach {spread.Length} positions, beyond the padded size {coverage.Length}");
            for (int q = 0; q < coverage.Length; q++)
            {
                Assert.Equal(q < spread.Length ? spread[q] : 0f, coverage[q]);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Coverage_sums_to_windows_times_kernel()
    {
        CaseGen.Sample(c =>
        {
            int windows = ConvShape.Output(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            Assert.Equal(c.Windows, windows);
            int[] coverage = ConvWindows.Coverage(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            Assert.Equal(windows * c.Kernel, coverage.Sum());
            Assert.All(coverage, n => Assert.InRange(n, 0, c.Kernel));
        }, iter: Iterations);
    }

    [Fact]
    public void Untouched_positions_are_those_with_zero_coverage()
    {
        CaseGen.Sample(c =>
        {
            int[] coverage = ConvWindows.Coverage(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            int[] untouched = ConvWindows.Untouched(c.Size, c.Kernel, c.Padding, c.Stride, c.Dilation);
            int[] zero = Enumerable.Range(0, c.Size).Where(i => coverage[c.Padding + i] == 0).ToArray();
            Assert.Equal(zero, untouched);
        }, iter: Iterations);
    }

    [Fact]
    public void Exercise1_height_leaves_the_last_two_rows_unread()
    {
        // Height: 8 rows, kernel 3, no padding, stride 3. Windows start at 0 and 3 (a third would start at 6
        // and need rows 6..8), so they read rows 0..5 once each and rows 6 and 7 never.
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 0], ConvWindows.Coverage(8, kernel: 3, padding: 0, stride: 3));
        Assert.Equal([6, 7], ConvWindows.Untouched(8, kernel: 3, padding: 0, stride: 3));
    }

    [Fact]
    public void Exercise1_width_reads_every_column()
    {
        // Width: 8 columns padded by 1 on each side (10 positions), kernel 5, stride 4. Windows start at 0 and 4
        // and cover padded positions 0..4 and 4..8; position 4 is read twice, the right padding (9) never.
        // Padded positions 1..8 are the input columns 0..7, all of them read.
        Assert.Equal([1, 1, 1, 1, 2, 1, 1, 1, 1, 0], ConvWindows.Coverage(8, kernel: 5, padding: 1, stride: 4));
        Assert.Empty(ConvWindows.Untouched(8, kernel: 5, padding: 1, stride: 4));
    }

    [Fact]
    public void Dilation_spaces_the_taps()
    {
        // Size 7, kernel 3, dilation 2: extent 5, windows start at 0, 1, 2 (stride 1) and read {0,2,4}, {1,3,5}, {2,4,6}.
        Assert.Equal([1, 1, 2, 1, 2, 1, 1], ConvWindows.Coverage(7, kernel: 3, dilation: 2));
        // Stride 2: windows start at 0 and 2, reading {0,2,4} and {2,4,6}: the odd positions are skipped.
        Assert.Equal([1, 3, 5], ConvWindows.Untouched(7, kernel: 3, stride: 2, dilation: 2));
    }

    [Theory]
    [InlineData(8, 3, 0, 0, 1, "stride")]
    [InlineData(8, 3, 0, -1, 1, "stride")]
    [InlineData(0, 1, 0, 1, 1, "size")]
    [InlineData(8, 0, 0, 1, 1, "kernel")]
    [InlineData(8, 3, -1, 1, 1, "padding")]
    [InlineData(8, 3, 0, 1, 0, "dilation")]
    public void Bad_parameters_throw_out_of_range_naming_the_parameter(int size, int kernel, int padding, int stride, int dilation, string param)
    {
        var coverage = Assert.Throws<ArgumentOutOfRangeException>(() => ConvWindows.Coverage(size, kernel, padding, stride, dilation));
        Assert.Equal(param, coverage.ParamName);
        Assert.Contains(param, coverage.Message, StringComparison.Ordinal);
        var untouched = Assert.Throws<ArgumentOutOfRangeException>(() => ConvWindows.Untouched(size, kernel, padding, stride, dilation));
        Assert.Equal(param, untouched.ParamName);
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_input_throws_naming_kernel()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConvWindows.Coverage(4, kernel: 7, padding: 1));
        Assert.Equal("kernel", ex.ParamName);
        Assert.Throws<ArgumentException>(() => ConvWindows.Untouched(4, kernel: 3, padding: 0, dilation: 2));
    }

    [Fact]
    public void A_padded_size_beyond_one_array_throws_naming_padding()
    {
        // Few windows (the stride is huge), but the padded dimension itself cannot be held in one array.
        var ex = Assert.Throws<ArgumentException>(() => ConvWindows.Coverage(1, kernel: 1, padding: 1_500_000_000, stride: int.MaxValue));
        Assert.Equal("padding", ex.ParamName);
    }
}
