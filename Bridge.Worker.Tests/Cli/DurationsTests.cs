using Bridge.Worker.Cli;

namespace Bridge.Tests.Cli;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2m15s", 135)]
    [InlineData("1h0m5s", 3605)]
    [InlineData("00:30:00", 1800)]
    [InlineData("1.02:00:00", 93600)]
    [InlineData(" 90s ", 90)]
    public void Short_forms_and_hh_mm_ss_are_durations(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("30m1h")]
    [InlineData("1.5h")]
    [InlineData("")]
    [InlineData("-5m")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(1800, "30m")]
    [InlineData(5400, "1h30m")]
    [InlineData(5, "5s")]
    [InlineData(0, "0s")]
    [InlineData(90000, "25h")]
    public void Durations_print_in_the_short_form(int seconds, string text) => Assert.Equal(text, Durations.Format(TimeSpan.FromSeconds(seconds)));
}
