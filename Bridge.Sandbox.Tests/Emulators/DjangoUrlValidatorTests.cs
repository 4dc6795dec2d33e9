using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class DjangoUrlValidatorTests
{
    [Theory]
    [InlineData("https://bitbucket.org/acme/api/addon/pipelines/home#!/results/128")]
    [InlineData("http://localhost/x")]
    [InlineData("http://LOCALHOST:8080")]
    [InlineData("http://10.0.0.5:4200/runs/flow-run/1")]
    [InlineData("http://[::1]:4200/x")]
    [InlineData("https://user:pw@ci.example.co.uk/build?id=1")]
    [InlineData("https://prefect.internal.example.com./runs")]
    [InlineData("https://xn--bcher-kva.example/x")]
    public void Accepts(string url) => Assert.True(DjangoUrlValidator.IsValid(url), url);

    [Theory]
    [InlineData("")]
    [InlineData("relative/path")]
    [InlineData("//ci.example.com/x")]
    [InlineData("http://prefect-server:4200/runs")]
    [InlineData("http://prefect")]
    [InlineData("http://example.c0m/x")]
    [InlineData("http://-bad.example.com/")]
    [InlineData("http://999.1.1.1/")]
    [InlineData("http://ci.example.com:99999/")]
    [InlineData("mailto:a@example.com")]
    [InlineData("https://ci.example.com/a b")]
    [InlineData("https://ci.example.com/a\nb")]
    public void Refuses(string url) => Assert.False(DjangoUrlValidator.IsValid(url), url);
}
