// After the consumer build: the README's testkit example really ran, and passed.
def report = new File(basedir, 'target/failsafe-reports/TEST-com.example.orders.ReadOnlyAccessIT.xml')
assert report.isFile() : "Failsafe did not run ReadOnlyAccessIT: no ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() >= 1 : "ReadOnlyAccessIT ran no test"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0
return true
