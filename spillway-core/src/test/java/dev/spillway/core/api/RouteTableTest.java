package dev.spillway.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static ApiRoute found(String method, String path) {
    RouteMatch m = RouteTable.match(method, path);
    assertThat(m).isInstanceOf(RouteMatch.Found.class);
    return ((RouteMatch.Found) m).route();
  }

  @Test
  void openAiRoutesTakeTheModelFromTheBody() {
    assertThat(found("POST", "/v1/chat/completions"))
        .isEqualTo(new ApiRoute(RouteShape.OPENAI, Operation.CHAT_COMPLETIONS, Optional.empty()));
    assertThat(found("POST", "/v1/completions").operation()).isEqualTo(Operation.COMPLETIONS);
    assertThat(found("POST", "/v1/embeddings").operation()).isEqualTo(Operation.EMBEDDINGS);
  }

  @Test
  void azureClassicRoutesTakeTheModelFromThePath() {
    assertThat(found("POST", "/openai/deployments/gpt-4o/chat/completions"))
        .isEqualTo(new ApiRoute(RouteShape.AZURE_CLASSIC, Operation.CHAT_COMPLETIONS, Optional.of("gpt-4o")));
    assertThat(found("POST", "/openai/deployments/my%20model/embeddings").pathParam()).contains("my model");
  }

  @Test
  void azureV1RoutesTakeTheModelFromTheBody() {
    assertThat(found("POST", "/openai/v1/chat/completions"))
        .isEqualTo(new ApiRoute(RouteShape.AZURE_V1, Operation.CHAT_COMPLETIONS, Optional.empty()));
  }

  @Test
  void responsesApiInEveryShape() {
    assertThat(found("POST", "/v1/responses"))
        .isEqualTo(new ApiRoute(RouteShape.OPENAI, Operation.RESPONSES, Optional.empty()));
    assertThat(found("POST", "/openai/v1/responses").shape()).isEqualTo(RouteShape.AZURE_V1);
    // Azure's shape before v1: /openai/responses?api-version=..., the deployment in the body like v1
    assertThat(found("POST", "/openai/responses"))
        .isEqualTo(new ApiRoute(RouteShape.AZURE_V1, Operation.RESPONSES, Optional.empty()));
    assertThat(found("GET", "/openai/responses/resp_1").operation()).isEqualTo(Operation.RESPONSES_GET);
    // what the Java SDK's legacy Azure mode sends: the deployment in the path, as for chat
    assertThat(found("POST", "/openai/deployments/gpt-4o/responses"))
        .isEqualTo(new ApiRoute(RouteShape.AZURE_CLASSIC, Operation.RESPONSES, Optional.of("gpt-4o")));
    assertThat(RouteTable.match("GET", "/v1/responses")).isEqualTo(new RouteMatch.WrongMethod(java.util.Set.of("POST")));
  }

  @Test
  void callsOnAStoredResponseNameIt() {
    assertThat(found("GET", "/v1/responses/resp_abc"))
        .isEqualTo(new ApiRoute(RouteShape.OPENAI, Operation.RESPONSES_GET, Optional.of("resp_abc")));
    assertThat(found("HEAD", "/v1/responses/resp_abc").operation()).isEqualTo(Operation.RESPONSES_GET);
    assertThat(found("DELETE", "/openai/v1/responses/resp_abc").operation()).isEqualTo(Operation.RESPONSES_DELETE);
    assertThat(found("GET", "/v1/responses/resp_abc/input_items"))
        .isEqualTo(new ApiRoute(RouteShape.OPENAI, Operation.RESPONSES_INPUT_ITEMS, Optional.of("resp_abc")));
    assertThat(found("POST", "/v1/responses/resp_abc/cancel").operation()).isEqualTo(Operation.RESPONSES_CANCEL);
    assertThat(found("GET", "/v1/responses/a%2Fb").pathParam()).contains("a/b");
    assertThat(RouteTable.match("POST", "/v1/responses/resp_abc")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("GET", "/v1/responses/resp_abc/cancel")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("GET", "/v1/responses/resp_abc/other")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(RouteTable.match("GET", "/v1/responses//input_items")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(RouteTable.match("GET", "/v1/responses/x/input_items/more")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(RouteTable.match("GET", "/v1/responses/%zz")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void realtimeIsAGetToUpgrade() {
    assertThat(found("GET", "/v1/realtime")).isEqualTo(new ApiRoute(RouteShape.OPENAI, Operation.REALTIME, Optional.empty()));
    assertThat(found("GET", "/openai/v1/realtime").operation()).isEqualTo(Operation.REALTIME);
    assertThat(found("GET", "/openai/realtime").operation()).isEqualTo(Operation.REALTIME);
    assertThat(RouteTable.match("POST", "/v1/realtime")).isEqualTo(new RouteMatch.WrongMethod(java.util.Set.of("GET")));
    assertThat(Operation.REALTIME.callsModel()).isFalse();
    assertThat(Operation.REALTIME.readsJsonBody()).isFalse();
    assertThat(Operation.REALTIME_RESPONSE.callsModel()).isTrue();
  }

  @Test
  void operationsOnObjectsCarryNoModelBody() {
    assertThat(Operation.RESPONSES.callsModel()).isTrue();
    assertThat(Operation.RESPONSES.mayStream()).isTrue();
    assertThat(Operation.RESPONSES_GET.callsModel()).isFalse();
    assertThat(Operation.RESPONSES_GET.onObject()).isTrue();
    assertThat(Operation.RESPONSES_INPUT_ITEMS.pathFor("resp_1")).isEqualTo("responses/resp_1/input_items");
    assertThat(Operation.RESPONSES_DELETE.label()).isEqualTo("responses.delete");
    assertThat(Operation.CHAT_COMPLETIONS.label()).isEqualTo("chat/completions");
  }

  @Test
  void modelsAndProbesAreGets() {
    assertThat(found("GET", "/v1/models").operation()).isEqualTo(Operation.LIST_MODELS);
    assertThat(found("GET", "/openai/v1/models").operation()).isEqualTo(Operation.LIST_MODELS);
    assertThat(found("GET", "/v1/models/gpt-4o").pathParam()).contains("gpt-4o");
    assertThat(found("GET", "/healthz").operation()).isEqualTo(Operation.HEALTHZ);
    assertThat(found("HEAD", "/readyz").operation()).isEqualTo(Operation.READYZ);
    assertThat(found("GET", "/metrics").operation()).isEqualTo(Operation.METRICS);
  }

  @Test
  void adminRoutesNameTheBackend() {
    assertThat(found("GET", "/admin/backends").operation()).isEqualTo(Operation.ADMIN_BACKENDS);
    assertThat(found("POST", "/admin/backends/ptu-eastus/force-open"))
        .isEqualTo(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_FORCE_OPEN, Optional.of("ptu-eastus")));
    assertThat(found("POST", "/admin/backends/x/disable").operation()).isEqualTo(Operation.ADMIN_DISABLE);
    assertThat(found("POST", "/admin/backends/x/reset").operation()).isEqualTo(Operation.ADMIN_RESET);
    assertThat(RouteTable.match("GET", "/admin/backends/x/reset")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("POST", "/admin/backends/x/explode")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(RouteTable.match("POST", "/admin/backends//reset")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(found("GET", "/admin/consumers").operation()).isEqualTo(Operation.ADMIN_CONSUMERS);
    assertThat(found("POST", "/admin/consumers/search-app/keys"))
        .isEqualTo(new ApiRoute(RouteShape.ADMIN, Operation.ADMIN_CREATE_KEY, Optional.of("search-app")));
    assertThat(found("POST", "/admin/keys/AbC123/revoke").pathParam()).contains("AbC123");
    assertThat(RouteTable.match("GET", "/admin/consumers/x/keys")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(found("PUT", "/admin/consumers/new-app").operation()).isEqualTo(Operation.ADMIN_PUT_CONSUMER);
    assertThat(found("DELETE", "/admin/consumers/new-app").pathParam()).contains("new-app");
    assertThat(RouteTable.match("GET", "/admin/consumers/new-app")).isInstanceOf(RouteMatch.WrongMethod.class);
  }

  @Test
  void aTrailingSlashIsTolerated() {
    assertThat(found("POST", "/v1/chat/completions/").operation()).isEqualTo(Operation.CHAT_COMPLETIONS);
  }

  @Test
  void wrongMethodsNameTheAllowedOnes() {
    assertThat(RouteTable.match("GET", "/v1/chat/completions"))
        .isInstanceOfSatisfying(RouteMatch.WrongMethod.class, w -> assertThat(w.allowed()).containsExactly("POST"));
    assertThat(RouteTable.match("DELETE", "/v1/models")).isInstanceOf(RouteMatch.WrongMethod.class);
  }

  @Test
  void filesAndBatchesLiveOnTheResourceInEveryShape() {
    for (String base : new String[] {"/v1/", "/openai/v1/", "/openai/"}) {
      assertThat(operation("POST", base + "files")).isEqualTo(Operation.FILES_CREATE);
      assertThat(operation("GET", base + "files")).isEqualTo(Operation.FILES_LIST);
      assertThat(operation("GET", base + "files/file-1")).isEqualTo(Operation.FILES_GET);
      assertThat(operation("DELETE", base + "files/file-1")).isEqualTo(Operation.FILES_DELETE);
      assertThat(operation("GET", base + "files/file-1/content")).isEqualTo(Operation.FILES_CONTENT);
      assertThat(operation("POST", base + "batches")).isEqualTo(Operation.BATCHES_CREATE);
      assertThat(operation("GET", base + "batches")).isEqualTo(Operation.BATCHES_LIST);
      assertThat(operation("GET", base + "batches/batch_1")).isEqualTo(Operation.BATCHES_GET);
      assertThat(operation("POST", base + "batches/batch_1/cancel")).isEqualTo(Operation.BATCHES_CANCEL);
      assertThat(operation("POST", base + "uploads")).isEqualTo(Operation.UPLOADS_CREATE);
      assertThat(operation("POST", base + "uploads/upload_1/parts")).isEqualTo(Operation.UPLOADS_PARTS);
      assertThat(operation("POST", base + "uploads/upload_1/complete")).isEqualTo(Operation.UPLOADS_COMPLETE);
      assertThat(operation("POST", base + "uploads/upload_1/cancel")).isEqualTo(Operation.UPLOADS_CANCEL);
    }
    assertThat(RouteTable.match("GET", "/v1/files/file%2D1")).isInstanceOfSatisfying(RouteMatch.Found.class,
        f -> assertThat(f.route().pathParam()).hasValue("file-1"));
    assertThat(RouteTable.match("PUT", "/v1/files")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("POST", "/v1/files/file-1")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("DELETE", "/v1/batches/batch_1")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("GET", "/v1/files/")).isInstanceOf(RouteMatch.Found.class); // a trailing slash: the list
    assertThat(RouteTable.match("GET", "/v1/batches/b/outputs")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(RouteTable.match("GET", "/v1/uploads")).isInstanceOf(RouteMatch.WrongMethod.class);
    assertThat(RouteTable.match("POST", "/v1/uploads/u")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(Operation.UPLOADS_PARTS.multipart()).isTrue();
    assertThat(operation("GET", "/v1/vector_stores")).isEqualTo(Operation.VECTOR_STORES_LIST);
    assertThat(operation("POST", "/openai/vector_stores")).isEqualTo(Operation.VECTOR_STORES_CREATE);
    assertThat(operation("POST", "/openai/v1/vector_stores/vs_1")).isEqualTo(Operation.VECTOR_STORES_MODIFY);
    assertThat(operation("DELETE", "/v1/vector_stores/vs_1")).isEqualTo(Operation.VECTOR_STORES_DELETE);
    assertThat(RouteTable.match("DELETE", "/v1/vector_stores/vs_1/files/file-9")).isInstanceOfSatisfying(
        RouteMatch.Found.class, f -> {
          assertThat(f.route().operation()).isEqualTo(Operation.VECTOR_STORES_CALL);
          assertThat(f.route().pathParam()).hasValue("vs_1");
          assertThat(f.route().subPath()).isEqualTo("files/file-9");
        });
    for (String unsafe : new String[] {"/v1/vector_stores/vs_1/..", "/v1/vector_stores/vs_1/a%2Fb",
        "/v1/vector_stores/vs_1/a?b", "/v1/vector_stores/vs_1//x"}) {
      assertThat(RouteTable.match("GET", unsafe)).as(unsafe).isInstanceOf(RouteMatch.NotFound.class);
    }
    assertThat(Operation.UPLOADS_COMPLETE.readsJsonBody()).isTrue();
    assertThat(Operation.FILES_CREATE.callsModel()).isFalse();
    assertThat(Operation.BATCHES_CREATE.readsJsonBody()).isTrue();
    assertThat(Operation.FILES_CREATE.multipart()).isTrue();
    assertThat(Operation.FILES_GET.deploymentScoped()).isFalse();
    assertThat(Operation.CHAT_COMPLETIONS.deploymentScoped()).isTrue();
  }

  private static Operation operation(String method, String path) {
    RouteMatch match = RouteTable.match(method, path);
    assertThat(match).as(method + " " + path).isInstanceOf(RouteMatch.Found.class);
    return ((RouteMatch.Found) match).route().operation();
  }

  @Test
  void unknownPathsAreNotFound() {
    for (String path : new String[] {"/", "/v1", "/v1/assistants", "/v1/files/a/b/c",
        "/v1/filesx", "/openai/filesx", "/openai/deployments/", "/openai/deployments/x",
        "/openai/deployments/x/audio", "/v1/models/a/b", "/v2/chat/completions"}) {
      assertThat(RouteTable.match("POST", path)).as(path).isInstanceOf(RouteMatch.NotFound.class);
    }
  }

  /** Found by fuzzing: a broken percent escape in a path name threw from the route table. */
  @Test
  void aNameWithABrokenPercentEscapeIsNotFound() {
    for (String path : new String[] {"/openai/v1/models/%", "/v1/models/%zz", "/openai/deployments/%/chat/completions",
        "/openai/deployments/a%4/embeddings", "/admin/backends/%/reset", "/admin/consumers/%e/keys", "/admin/keys/%/revoke",
        "/admin/consumers/%"}) {
      for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
        assertThat(RouteTable.match(method, path)).as("%s %s", method, path).isInstanceOf(RouteMatch.NotFound.class);
      }
    }
    assertThat(found("GET", "/v1/models/a%25b").pathParam()).contains("a%b");
  }
}
