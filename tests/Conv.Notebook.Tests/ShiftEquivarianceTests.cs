namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="ShiftEquivariance"/>: 0 for layers that are equivariant (the identity, a stride-1 circular convolution,
/// a stride-2 layer under even shifts), clearly above 0 for a stride-2 layer under odd shifts, the output shifts it
/// reports, the pooled change, and bad input.
/// </summary>
public sealed class ShiftEquivarianceTests
{
    private static readonly Tensor Image = NaturalSignals.NaturalImage(32, seed: 2);
    private static readonly Tensor Filters = Tensor.Randn(3, 4, 1, 3, 3);

    private static Tensor Conv(Tensor x, int stride) =>
        Convolution.Conv2d(x, Filters, padding: (1, 1), stride: (stride, stride), paddingMode: PaddingMode.Circular);

    [Fact]
    public void The_identity_is_equivariant_at_the_input_shift()
    {
        foreach (var shift in new[] { (0, 1), (2, -3), (-1, 0) })
        {
            ShiftError e = ShiftEquivariance.Error(x => x, Image, shift, stride: (1, 1));
            Assert.Equal(0, e.Error);
            Assert.Equal(shift, e.OutputShift);
        }
    }

    [Fact]
    public void A_stride_1_circular_convolution_is_equivariant()
    {
        ShiftError e = ShiftEquivariance.Error(x => Conv(x, 1), Image, (1, 2), (1, 1));
        Assert.True(e.Error < 1e-6, $"E = {e.Error}");
        Assert.Equal((1, 2), e.OutputShift);
    }

    [Fact]
    public void Stride_2_is_equivariant_under_even_shifts_only()
    {
        ShiftError even = ShiftEquivariance.Error(x => Conv(x, 2), Image, (0, 2), (2, 2));
        Assert.True(even.Error < 1e-6, $"E = {even.Error}");
        Assert.Equal((0, 1), even.OutputShift);

        ShiftError odd = ShiftEquivariance.Error(x => Conv(x, 2), Image, (0, 1), (2, 2));
        Assert.True(odd.Error > 0.1, $"E = {odd.Error}");
        Assert.Contains(odd.OutputShift, new[] { (0, 0), (0, 1) });
    }

    [Fact]
    public void Subsampling_alone_compares_the_even_and_odd_columns()
    {
        // Shifting by one column and keeping every second column keeps the odd columns instead of the even ones.
        Tensor stripes = Tensor.FromFunction(2, 8, (r, c) => c % 2 == 0 ? 1 : 3).Reshape(1, 1, 2, 8);
        ShiftError e = ShiftEquivariance.Error(x => Sampling.Subsample(x, (1, 2)), stripes, (0, 1), (1, 2));
        Assert.Equal(2.0, e.Error, 12);
    }

    [Fact]
    public void A_layer_that_ignores_its_input_matches_at_the_rounded_down_shift()
    {
        Tensor constant = Tensor.Full([1, 4, 4], 1f);
        ShiftError e = ShiftEquivariance.Error(_ => constant, Image, (0, 3), (2, 2));
        Assert.Equal(0, e.Error);
        Assert.Equal((0, 1), e.OutputShift);
    }

    [Fact]
    public void Blurring_before_the_stride_lowers_the_error()
    {
        Tensor blur = Tensor.FromFunction(3, 3, (r, c) => (r == 1 ? 2 : 1) * (c == 1 ? 2 : 1) / 16f).Reshape(1, 1, 3, 3);
        Tensor Blur(Tensor x) => Convolution.Conv2d(x, blur, padding: (1, 1), paddingMode: PaddingMode.Circular);
        double plain = ShiftEquivariance.Error(x => Conv(x, 2), Image, (0, 1), (2, 2)).Error;
        double blurred = ShiftEquivariance.Error(x => Conv(Blur(x), 2), Image, (0, 1), (2, 2)).Error;
        Assert.True(blurred < plain, $"blurred {blurred} should be below plain {plain}");
    }

    [Fact]
    public void The_pooled_change_is_0_for_stride_1_and_above_0_for_stride_2()
    {
        Assert.True(ShiftEquivariance.PooledChange(x => Conv(x, 1), Image, (0, 1)) < 1e-6);
        Assert.True(ShiftEquivariance.PooledChange(x => Conv(x, 2), Image, (0, 1)) > 1e-4);
        Assert.Equal(0, ShiftEquivariance.PooledChange(x => x, Image, (3, 5)), 6);
    }

    [Fact]
    public void The_pooled_change_is_the_relative_change_of_the_channel_means_of_relu()
    {
        // Channel means of ReLU: before (1, 2), after (1, 4): ‖(0, 2)‖ / ‖(1, 2)‖ = 2 / √5.
        Tensor before = new([2, 1, 2], [1, 1, 4, -5]);
        Tensor after = new([2, 1, 2], [2, 0, 4, 4]);
        Tensor input = Tensor.Arange(4).Reshape(2, 2);
        double change = ShiftEquivariance.PooledChange(x => x[0, 0] == 0 ? before : after, input, (0, 1));
        Assert.Equal(2 / Math.Sqrt(5), change, 12);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("stride.H", Assert.Throws<ArgumentOutOfRangeException>(
            () => ShiftEquivariance.Error(x => x, Image, (0, 1), (0, 1))).ParamName);
        Assert.Equal("stride.W", Assert.Throws<ArgumentOutOfRangeException>(
            () => ShiftEquivariance.Error(x => x, Image, (0, 1), (1, -1))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => ShiftEquivariance.Error(x => x, Tensor.Arange(5), (0, 1), (1, 1))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => ShiftEquivariance.Error(x => x, Tensor.Zeros(4, 4), (0, 1), (1, 1))).ParamName);
        int calls = 0;
        var e = Assert.Throws<ArgumentException>(() => ShiftEquivariance.Error(
            x => calls++ == 0 ? Tensor.Zeros(2, 2) : Tensor.Zeros(3, 3), Image, (0, 1), (1, 1)));
        Assert.Equal("layer", e.ParamName);
        Assert.Contains("same shape", e.Message, StringComparison.Ordinal);
        Assert.Equal("layer", Assert.Throws<ArgumentException>(
            () => ShiftEquivariance.Error(_ => null!, Image, (0, 1), (1, 1))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => ShiftEquivariance.PooledChange(x => Tensor.Full([2, 3, 3], -1f), Image, (0, 1))).ParamName);
        Assert.Throws<ArgumentNullException>(() => ShiftEquivariance.Error(null!, Image, (0, 1), (1, 1)));
        Assert.Throws<ArgumentNullException>(() => ShiftEquivariance.PooledChange(x => x, null!, (0, 1)));
    }
}
