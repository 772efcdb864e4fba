using CsCheck;

namespace Conv.Notebook.Tests;

public class ReceptiveFieldTests
{
    [Fact]
    public void Wav2vec2_feature_encoder_hops_320_samples_and_sees_400()
    {
        int[] kernels = [10, 3, 3, 3, 3, 2, 2];
        int[] strides = [5, 2, 2, 2, 2, 2, 2];

        var fields = ReceptiveField.Of(kernels.Select((k, i) => new ConvLayer(k, strides[i])).ToArray());

        Assert.Equal([5L, 10, 20, 40, 80, 160, 320], fields.Select(f => f.Hop));
        Assert.Equal([10L, 20, 40, 80, 160, 240, 400], fields.Select(f => f.ReceptiveField));
        Assert.Equal("conv1", fields[0].Name);
    }

    [Fact]
    public void Field_equals_the_span_of_inputs_that_reach_the_first_output_of_a_real_stack()
    {
        var gen = Gen.Select(Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 2]).Array[1, 4];
        gen.Sample(spec =>
        {
            var layers = spec.Select(l => new ConvLayer(l.Item1, l.Item2, l.Item3)).ToArray();
            long field = ReceptiveField.Of(layers)[^1].ReceptiveField;
            int length = (int)field + 8;

            // Kernels of ones make every output the sum of the inputs it depends on, so a one-hot input at
            // position i reaches the first output exactly when the output depends on i. Dilation leaves holes,
            // so the field is the span from the first to the last input reached.
            int first = -1, last = -1;
            for (int i = 0; i < length; i++)
            {
                var x = new float[length];
                x[i] = 1;
                Tensor t = new Tensor([1, 1, length], x);
                foreach (ConvLayer layer in layers)
                {
                    t = Convolution.Conv1d(t, Tensor.Full([1, 1, layer.Kernel], 1f), stride: layer.Stride, dilation: layer.Dilation);
                }
                if (t[0, 0, 0] == 0) continue;
                if (first < 0) first = i;
                last = i;
            }
            Assert.Equal(0, first);
            Assert.Equal(field, last - first + 1);
        }, iter: 200);
    }

    [Fact]
    public void Bad_layers_are_refused_naming_the_layer()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ReceptiveField.Of(new ConvLayer(3), new ConvLayer(3, Stride: 0)));
        Assert.Equal("layers[1].Stride", e.ParamName);
        Assert.Contains("stride", e.Message);
        Assert.Throws<ArgumentException>(() => ReceptiveField.Of());
        Assert.Throws<ArgumentException>(() => ReceptiveField.Of(Enumerable.Repeat(new ConvLayer(2, int.MaxValue), 4).ToArray()));
    }
}
