/// The Application the policy and workflow step examples share: a shop's frontend, then the
/// policies or workflow each example shows.
package enum DeliveryExamples {
    package static func shop(_ rest: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
        spec:
          components:
            - name: frontend
              type: webservice
              properties:
                image: example/shop:5
                ports: [{port: 8080, expose: true}]

        """ + rest
    }
}
