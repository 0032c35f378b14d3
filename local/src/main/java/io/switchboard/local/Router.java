package io.switchboard.local;

import java.util.Set;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/** Dispatches every request on the one port: WebSocket upgrades, {@code @connections}, the HTTP API, the console. */
final class Router extends Handler.Abstract {

    private final WebSocketApi webSocketApi;
    private final ConnectionsApi connectionsApi;
    private final HttpApi httpApi;
    private final Console console;
    private final Set<String> upgradePaths;
    private final ServerWebSocketContainer container;

    Router(WebSocketApi webSocketApi, ConnectionsApi connectionsApi, HttpApi httpApi, Console console, String stage,
           ServerWebSocketContainer container) {
        this.webSocketApi = webSocketApi;
        this.connectionsApi = connectionsApi;
        this.httpApi = httpApi;
        this.console = console;
        this.upgradePaths = Set.of("/event/realtime", "/", "/" + stage, "/" + stage + "/");
        this.container = container;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (WebSocketApi.isUpgrade(request)) {
            if (upgradePaths.contains(path)) {
                webSocketApi.upgrade(request, response, callback, container);
            } else {
                HttpResponses.notFound(response, callback);
            }
            return true;
        }
        if (connectionsApi.handle(request, response, callback)) {
            return true;
        }
        if (httpApi.serves(path)) {
            httpApi.handle(request, response, callback);
            return true;
        }
        if ("GET".equals(request.getMethod()) && console.serve(path, request, response, callback)) {
            return true;
        }
        if (upgradePaths.contains(path)) {
            HttpResponses.json(response, callback, 426, "{\"message\":\"Upgrade Required: open a WebSocket here\"}");
            return true;
        }
        HttpResponses.notFound(response, callback);
        return true;
    }
}
