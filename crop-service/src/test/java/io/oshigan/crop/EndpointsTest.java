package io.oshigan.crop;

import io.oshigan.testing.LocalStackResource;
import io.oshigan.testing.ServiceEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EndpointsTest extends ServiceEndpointsContract {
}
