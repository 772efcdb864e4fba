using System.Text.RegularExpressions;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="AudioPlayer"/>: an <c>audio.cn-audio</c> element whose data URI holds the samples as a WAV file,
/// scaled down only when they would clip, under an HTML-encoded caption.
/// </summary>
public sealed partial class AudioPlayerTests
{
    [GeneratedRegex("<audio class=\"cn-audio\" controls preload=\"metadata\" src=\"data:audio/wav;base64,([A-Za-z0-9+/=]+)\"></audio>")]
    private static partial Regex AudioRegex();

    private static float[] Played(string html)
    {
        Match match = AudioRegex().Match(html);
        Assert.True(match.Success, "the player should be an audio.cn-audio element with a WAV data URI");
        return Wav.Decode(Convert.FromBase64String(match.Groups[1].Value)).Samples;
    }

    [Fact]
    public void The_player_holds_the_samples_at_their_rate_under_the_caption()
    {
        float[] x = Signals.Tone(440, 0.1, 8000, amplitude: 0.5);
        string html = AudioPlayer.Render(x, 8000, "a tone").Html;

        float[] played = Played(html);
        Assert.Equal(x.Length, played.Length);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(played[i] - x[i]) <= 0.5f / 32767 + 1e-7f);
        string data = AudioRegex().Match(html).Groups[1].Value;
        Assert.Equal(8000, Wav.Decode(Convert.FromBase64String(data)).SampleRate);
        Assert.Contains("<figcaption", html, StringComparison.Ordinal);
        Assert.Contains("a tone", html, StringComparison.Ordinal);
        Assert.Contains("8000 Hz · 0.10 s", html, StringComparison.Ordinal);
        Assert.DoesNotContain("scaled", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signal_that_would_clip_is_scaled_to_a_peak_of_0_99()
    {
        float[] loud = Signals.Tone(440, 0.1, 8000, amplitude: 3);
        string html = AudioPlayer.Render(loud, 8000, "loud").Html;
        float[] played = Played(html);
        Assert.Equal(0.99, played.Max(MathF.Abs), 3);
        Assert.Contains("scaled by 0.33 to avoid clipping", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_caption_is_html_encoded()
    {
        string html = AudioPlayer.Render([0, 0.1f], 8000, "<script>alert(1)</script> & co").Html;
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => AudioPlayer.Render([], 8000, "x")).ParamName);
        Assert.Equal("sampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => AudioPlayer.Render([0], 0, "x")).ParamName);
        Assert.Equal("caption", Assert.Throws<ArgumentNullException>(() => AudioPlayer.Render([0], 8000, null!)).ParamName);
    }
}
