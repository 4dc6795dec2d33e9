using Bridge.Worker.Routing;

namespace Bridge.Tests.Unit;

public sealed class RouteFileTests
{
    private static IReadOnlyList<string> Errors(string yaml) =>
        RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "routes.yaml").Errors;

    [Fact]
    public void Each_mistake_is_reported_with_the_route_and_field_at_fault()
    {
        var errors = Errors("""
            routes:
              - name: release
                match: { events: [tag, push] }
                deployment: no-slash
                parameters: { v: '{{ refName }}' }
                tags: [bridge-x]
                colour: blue
              - name: release
                match: { ref: main }
                deployment: f/d
            """);

        Assert.Contains(errors, e => e.Contains("routes[0] ('release').deployment", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'push' is not an event kind", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown placeholder '{{ refName }}'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'bridge-x' is reserved", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routes[1].name: 'release' is used by another route", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_names_the_setting_and_the_path()
    {
        var (_, errors) = RouteFile.Load("/nonexistent/routes.yaml");

        Assert.Equal(["Bridge:Routing:File: the routes file '/nonexistent/routes.yaml' does not exist"], errors);
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "routes:\n  - name: [unclosed\n");
        try
        {
            var (_, errors) = RouteFile.Load(path);

            Assert.Contains("not valid YAML at line", Assert.Single(errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_empty_file_asks_for_a_routes_list() =>
        Assert.Equal(["routes.yaml: expected a top-level 'routes:' list with at least one route"], Errors(""));
}
